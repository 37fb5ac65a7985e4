"""Configuration, built once from ``INFOSHARE_*`` environment variables and passed down."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationInfo, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.reminders.schedules import RuleError, parse_rule

DEFAULT_KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"
SLACK_PAIR = ("INFOSHARE_SLACK_SIGNING_SECRET", "INFOSHARE_SLACK_BOT_TOKEN")
TEAMS_PAIR = ("INFOSHARE_TEAMS_APP_ID", "INFOSHARE_TEAMS_APP_PASSWORD")
# Microsoft's public cloud: where Bot Connector's signing keys are published, and where a bot
# gets its own token to reply with (the tenant goes in the braces).
TEAMS_OPENID_METADATA = "https://login.botframework.com/v1/.well-known/openidconfiguration"
TEAMS_TOKEN_URL = "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token"
MULTI_TENANT = "botframework.com"  # the token tenant of a multi-tenant bot
_LOOPBACK = ("127.0.0.1", "localhost", "::1")
# Policy reminders: who the IG team is on each platform, as the platforms name them.
_IG_IDS = {
    "ig_slack_users": (
        "INFOSHARE_IG_SLACK_USERS",
        r"^[UW][A-Z0-9]{2,30}$",
        "Slack user ids (U...)",
    ),
    "ig_slack_usergroups": (
        "INFOSHARE_IG_SLACK_USERGROUPS",
        r"^S[A-Z0-9]{2,30}$",
        "Slack user group ids (S...)",
    ),
    "ig_teams_users": (
        "INFOSHARE_IG_TEAMS_USERS",
        r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$",
        "Microsoft Entra object ids (GUIDs)",
    ),
}
IdList = Annotated[tuple[str, ...], NoDecode]  # comma-separated in the environment, not JSON


MAX_QUERY_LOG_DAYS = 36500  # a hundred years


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="INFOSHARE_", extra="ignore")

    database_url: str = Field(
        default="sqlite:///infoshare.db",
        description="Where decisions are logged: sqlite:///PATH (relative to the working "
        "folder) or postgresql://USER:PASSWORD@HOST/DATABASE.",
    )
    redis_url: str | None = Field(
        default=None,
        description="Conversation state and the platform deliveries already handled, in Redis "
        "(redis://HOST:6379/0), shared by several server instances. Unset: kept in the process.",
    )
    pseudonym_key: SecretStr | None = Field(
        default=None,
        description="Key for staff pseudonyms (16+ characters). Unset: generated and kept "
        "beside the database.",
    )
    query_log_days: int = Field(
        default=365,
        description="How many days the anonymised query log keeps a record (1 to 36500).",
    )
    knowledge_dir: Path = Field(default=DEFAULT_KNOWLEDGE, description="The knowledge folder.")
    log_level: str = "WARNING"

    # Slack: on when both the signing secret and the bot token are set.
    slack_signing_secret: SecretStr | None = Field(
        default=None,
        description="The Slack app's signing secret (Basic Information > App Credentials).",
    )
    slack_bot_token: SecretStr | None = Field(
        default=None, description="Slack bot token, xoxb-... (OAuth & Permissions)."
    )
    slack_app_token: SecretStr | None = Field(
        default=None,
        description="Slack app-level token, xapp-...: set it to use Socket Mode instead of a "
        "public HTTPS URL.",
    )
    slack_ig_channel: str | None = Field(
        default=None, description="Slack channel id the IG team's hand-offs are posted to."
    )
    slack_api_url: str = Field(
        default="https://slack.com/api/", description="Slack Web API base URL (tests change it)."
    )

    # Microsoft Teams: on with an app id and password (Azure Bot > Configuration), or, for the
    # Bot Framework Emulator only, with INFOSHARE_TEAMS_EMULATOR=true and no credentials.
    teams_app_id: str | None = Field(
        default=None, description="The Azure Bot's Microsoft App ID (a GUID)."
    )
    teams_app_password: SecretStr | None = Field(
        default=None, description="A client secret of that app registration."
    )
    teams_app_type: Literal["SingleTenant", "MultiTenant"] = Field(
        default="SingleTenant",
        description="How the app registration was created: SingleTenant (Azure's default for "
        "new bots) needs INFOSHARE_TEAMS_TENANT_ID.",
    )
    teams_tenant_id: str | None = Field(
        default=None, description="The council's Microsoft Entra tenant id (single-tenant)."
    )
    teams_ig_conversation: str | None = Field(
        default=None,
        description="Teams conversation id (a channel's 19:...@thread.tacv2) the IG team's "
        "hand-offs are posted to.",
    )
    teams_emulator: bool = Field(
        default=False,
        description="Serve the Bot Framework Emulator without authentication. Local testing "
        "only: never on a server Teams can reach.",
    )
    teams_openid_metadata: str = Field(
        default=TEAMS_OPENID_METADATA,
        description="Where Bot Connector's token signing keys are published (tests change it).",
    )
    teams_token_url: str | None = Field(
        default=None,
        description="Where the bot gets its own access token. Unset: Microsoft's, for the "
        "tenant (tests change it).",
    )

    # The web chat (adapters/web/): by default, only where there is no Slack or Teams.
    web_chat: bool | None = Field(
        default=None,
        description="Serve the web chat at /chat (true or false). Unset: only when neither "
        "Slack nor Teams is configured, so a server staff reach through them opens no chat "
        "without a sign-in.",
    )

    @field_validator("web_chat", mode="before")
    @classmethod
    def _web_chat_switch(cls, value: object) -> object:
        words = {"true": True, "1": True, "yes": True, "on": True,
                 "false": False, "0": False, "no": False, "off": False}  # fmt: skip
        if isinstance(value, str):
            if value.strip().lower() not in words:
                raise ValueError("INFOSHARE_WEB_CHAT must be true or false")
            return words[value.strip().lower()]
        return value

    # Policy reminders: the IG team (nobody configured: nobody may use the reminder commands),
    # and how often the scheduler looks for a reminder that is due.
    ig_slack_users: IdList = Field(
        default=(), description="Slack user ids of the IG team, comma-separated (U0123,U0456)."
    )
    ig_slack_usergroups: IdList = Field(
        default=(),
        description="Slack user groups whose members are the IG team, comma-separated (S0123).",
    )
    ig_teams_users: IdList = Field(
        default=(),
        description="Microsoft Entra object ids of the IG team in Teams, comma-separated.",
    )
    reminders_tick_seconds: float = Field(
        default=30.0,
        description="Seconds between the server's looks for reminders that are due (1 to 3600).",
    )
    reminder_check_links: bool = Field(
        default=True,
        description="Whether the review digest checks that each policy link still answers "
        "(false where the server can't reach the internet).",
    )
    # Reminder schedules (bot.reminders): how late a slot may still go out, and the review digest.
    reminder_grace_minutes: int = Field(
        default=60,
        description="How late a scheduled reminder may still be sent, in minutes (a slot missed "
        "while the server was down); later ones are recorded as missed.",
    )
    reminder_stale_months: int = Field(
        default=12,
        description="A policy snippet not reviewed for this many months is overdue for review.",
    )
    reminder_digest_schedule: str = Field(
        default="first Monday of the month 9:00",
        description="When the IG team gets the review digest (Europe/London time); 'off' for "
        "never.",
    )

    @field_validator("reminder_grace_minutes")
    @classmethod
    def _grace(cls, value: int) -> int:
        if not 0 <= value <= 7 * 24 * 60:
            raise ValueError(
                "INFOSHARE_REMINDER_GRACE_MINUTES must be between 0 and 10080 (a week)"
            )
        return value

    @field_validator("reminder_stale_months")
    @classmethod
    def _stale(cls, value: int) -> int:
        if not 1 <= value <= 120:
            raise ValueError("INFOSHARE_REMINDER_STALE_MONTHS must be between 1 and 120")
        return value

    @field_validator("reminder_digest_schedule")
    @classmethod
    def _digest_rule(cls, value: str) -> str:
        if value.strip().lower() != "off":
            try:
                parse_rule(value)
            except RuleError as exc:
                raise ValueError(f"INFOSHARE_REMINDER_DIGEST_SCHEDULE: {exc}") from None
        return value.strip()

    @field_validator("ig_slack_users", "ig_slack_usergroups", "ig_teams_users", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("ig_slack_users", "ig_slack_usergroups", "ig_teams_users")
    @classmethod
    def _well_formed_ids(cls, value: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        variable, pattern, what = _IG_IDS[str(info.field_name)]
        bad = [item for item in value if not re.match(pattern, item)]
        if bad:
            raise ValueError(f"{variable} must list {what}, comma-separated: '{bad[0]}' is not one")
        return value

    @field_validator("reminders_tick_seconds")
    @classmethod
    def _sensible_tick(cls, value: float) -> float:
        if not 1 <= value <= 3600:
            raise ValueError("INFOSHARE_REMINDERS_TICK_SECONDS must be between 1 and 3600")
        return value

    # The analytics dashboard (/analytics): served only when an analyst token is set.
    analyst_token: SecretStr | None = Field(
        default=None,
        description="The token analysts sign in to /analytics with (16+ characters). Unset: "
        "the dashboard is off and every /analytics path is 404.",
    )
    analyst_session_minutes: int = Field(
        default=480, description="How long an analyst's sign-in lasts, in minutes (1 to 10080)."
    )
    analytics_min_count: int = Field(
        default=5,
        description="Counts under this are shown as '<N' on the dashboard (at least 3).",
    )

    @field_validator("analyst_token", mode="before")
    @classmethod
    def _blank_token(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("analyst_token")
    @classmethod
    def _strong_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < 16:
            raise ValueError("INFOSHARE_ANALYST_TOKEN must be at least 16 characters")
        return value

    @field_validator("analyst_session_minutes")
    @classmethod
    def _session_length(cls, value: int) -> int:
        if not 1 <= value <= 7 * 24 * 60:
            raise ValueError("INFOSHARE_ANALYST_SESSION_MINUTES must be from 1 to 10080 (a week)")
        return value

    @field_validator("analytics_min_count")
    @classmethod
    def _suppresses(cls, value: int) -> int:
        # 1 would publish every count, however small: suppression can't be configured away.
        # and 2 would too, in effect: "<2" with zeros shown can only mean 1.
        if value < 3:
            raise ValueError("INFOSHARE_ANALYTICS_MIN_COUNT must be at least 3")
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        levels = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
        if value.upper() not in levels:
            raise ValueError(f"INFOSHARE_LOG_LEVEL must be one of {', '.join(levels)}")
        return value.upper()

    @field_validator("query_log_days")
    @classmethod
    def _at_least_a_day(cls, value: int) -> int:
        # A century at most: a date that far back is still one Python can compute.
        if not 1 <= value <= MAX_QUERY_LOG_DAYS:
            raise ValueError(f"INFOSHARE_QUERY_LOG_DAYS must be from 1 to {MAX_QUERY_LOG_DAYS}")
        return value

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, value: str) -> str:
        sqlite = value.startswith("sqlite:///") and value != "sqlite:///"
        if not (sqlite or value.startswith(("postgresql://", "postgres://"))):
            raise ValueError(
                "INFOSHARE_DATABASE_URL must look like sqlite:///PATH or "
                "postgresql://USER:PASSWORD@HOST/DATABASE"
            )
        return value

    @field_validator("redis_url")
    @classmethod
    def _supported_redis(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("INFOSHARE_REDIS_URL must look like redis://HOST:6379/0")
        return value

    @model_validator(mode="after")
    def _shared_key_for_shared_storage(self) -> Settings:
        # Instances sharing one log must pseudonymise alike, so the key can't be made per host.
        if self.database_path is None and self.pseudonym_key is None:
            raise ValueError(
                "INFOSHARE_PSEUDONYM_KEY must be set when decisions go to PostgreSQL, the same "
                "on every instance"
            )
        return self

    @field_validator("pseudonym_key")
    @classmethod
    def _long_enough(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < 16:
            raise ValueError("INFOSHARE_PSEUDONYM_KEY must be at least 16 characters")
        return value

    @field_validator(
        "slack_bot_token",
        "slack_app_token",
        "slack_signing_secret",
        "teams_app_id",
        "teams_app_password",
        "teams_tenant_id",
        "teams_ig_conversation",
        "teams_token_url",
        "redis_url",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith("xoxb-"):
            raise ValueError("INFOSHARE_SLACK_BOT_TOKEN must be a bot token, starting xoxb-")
        return value

    @field_validator("slack_app_token")
    @classmethod
    def _app_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith("xapp-"):
            raise ValueError("INFOSHARE_SLACK_APP_TOKEN must be an app-level token, starting xapp-")
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        if not value.startswith(("https://", "http://")):
            raise ValueError("INFOSHARE_SLACK_API_URL must be an http(s) URL")
        return value if value.endswith("/") else value + "/"  # the SDK appends method names

    @field_validator("teams_openid_metadata", "teams_token_url")
    @classmethod
    def _https_unless_local(cls, value: str | None) -> str | None:
        # Signing keys or tokens over plain HTTP from anywhere but this machine could be forged.
        if value is None:
            return value
        parts = urlsplit(value)
        local = parts.scheme == "http" and parts.hostname in _LOOPBACK
        if not (parts.scheme == "https" or local) or not parts.hostname:
            raise ValueError(
                f"Teams endpoints must be https:// URLs (http:// only on this machine): '{value}'"
            )
        return value

    @model_validator(mode="after")
    def _teams_whole_or_absent(self) -> Settings:
        present = (self.teams_app_id is not None, self.teams_app_password is not None)
        if any(present) and not all(present):
            missing = TEAMS_PAIR[present.index(False)]
            raise ValueError(f"{missing} is not set: Teams needs both {' and '.join(TEAMS_PAIR)}")
        if self.teams_credentials and self.teams_app_type == "SingleTenant":
            if self.teams_tenant_id is None:
                raise ValueError(
                    "INFOSHARE_TEAMS_TENANT_ID is not set: a single-tenant bot "
                    "(INFOSHARE_TEAMS_APP_TYPE=SingleTenant, the default) needs its tenant id"
                )
        if self.teams_tenant_id is not None and not self.teams_credentials:
            raise ValueError(
                "INFOSHARE_TEAMS_TENANT_ID is set but INFOSHARE_TEAMS_APP_ID and "
                "INFOSHARE_TEAMS_APP_PASSWORD are not"
            )
        if self.teams_emulator and self.teams_credentials:
            raise ValueError(
                "INFOSHARE_TEAMS_EMULATOR=true turns authentication off, so it can't be used "
                "with INFOSHARE_TEAMS_APP_ID: unset one of them"
            )
        return self

    @model_validator(mode="after")
    def _slack_whole_or_absent(self) -> Settings:
        present = (self.slack_signing_secret is not None, self.slack_bot_token is not None)
        if any(present) and not all(present):
            missing = SLACK_PAIR[present.index(False)]
            raise ValueError(f"{missing} is not set: Slack needs both {' and '.join(SLACK_PAIR)}")
        if self.slack_app_token is not None and not self.slack_enabled:
            needs = " and ".join(SLACK_PAIR)
            raise ValueError(f"INFOSHARE_SLACK_APP_TOKEN is set but {needs} are not")
        return self

    @property
    def web_chat_enabled(self) -> bool:
        if self.web_chat is not None:
            return self.web_chat
        return not (self.slack_enabled or self.teams_enabled)

    @property
    def slack_enabled(self) -> bool:
        return self.slack_signing_secret is not None and self.slack_bot_token is not None

    @property
    def teams_credentials(self) -> bool:
        """An app id and password are configured: every request must carry a valid token."""
        return self.teams_app_id is not None and self.teams_app_password is not None

    @property
    def teams_enabled(self) -> bool:
        return self.teams_credentials or self.teams_emulator

    @property
    def teams_token_endpoint(self) -> str:
        """Where the bot's own access token comes from."""
        if self.teams_token_url is not None:
            return self.teams_token_url
        single = self.teams_app_type == "SingleTenant" and self.teams_tenant_id is not None
        return TEAMS_TOKEN_URL.format(tenant=self.teams_tenant_id if single else MULTI_TENANT)

    @property
    def database_path(self) -> Path | None:
        """The SQLite file, or None when decisions go to PostgreSQL."""
        if not self.database_url.startswith("sqlite:///"):
            return None
        return Path(self.database_url.removeprefix("sqlite:///"))
