"""Calling the Slack Web API: one client with Slack's rate limits honoured, and failures logged
by method and error code only (a Slack error response can echo the message it refused)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from bot import messages
from bot.settings import Settings

log = logging.getLogger(__name__)
RATE_LIMIT_RETRIES = 3  # each waits for Slack's Retry-After
TIMEOUT = 15  # seconds per call


def make_client(settings: Settings, session: aiohttp.ClientSession | None = None) -> AsyncWebClient:
    """The bot's Web API client on ``settings.slack_api_url``, retrying 429s after Retry-After."""
    assert settings.slack_bot_token is not None
    return AsyncWebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=settings.slack_api_url,
        session=session,
        timeout=TIMEOUT,
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(),
            AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
        ],
    )


async def safely(method: str, call: Awaitable[AsyncSlackResponse]) -> dict[str, Any] | None:
    """The call's data, or None when Slack refused it or couldn't be reached (logged)."""
    try:
        response = await call
    except SlackApiError as exc:
        data = exc.response.data
        error = data.get("error") if isinstance(data, dict) else None
        log.warning(messages.SLACK_CALL_FAILED, method, error or f"HTTP {exc.response.status_code}")
        return None
    except (TimeoutError, aiohttp.ClientError) as exc:
        log.warning(messages.SLACK_CALL_FAILED, method, type(exc).__name__)
        return None
    data = response.data
    return data if isinstance(data, dict) else {}
