"""An Engine from Settings: the embedded defaults, or shared storage for several instances."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.models import Turn
from bot.service import running_engine
from bot.settings import Settings

KEY = "a-shared-key-0123456789"


def test_postgresql_needs_a_configured_pseudonym_key() -> None:
    with pytest.raises(ValidationError, match="INFOSHARE_PSEUDONYM_KEY must be set"):
        Settings(database_url="postgresql://app@db/infoshare")
    assert Settings(database_url="postgresql://app@db/x", pseudonym_key=KEY).database_path is None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("database_url", "mysql://db/infoshare", "INFOSHARE_DATABASE_URL must look like"),
        ("redis_url", "http://cache:6379", "INFOSHARE_REDIS_URL must look like"),
    ],
)
def test_unsupported_storage_urls_name_the_setting(field: str, value: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Settings.model_validate({field: value})


async def test_the_embedded_defaults_keep_a_key_beside_the_sqlite_log(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'd.db'}")
    async with running_engine(settings) as engine:
        reply = await engine.handle(Turn(conversation="c", user="u", text="urgent: child at risk"))
        assert reply.decision_id is not None
    assert (tmp_path / "d.pseudonym-key").stat().st_mode & 0o077 == 0  # owner only
    async with running_engine(settings) as engine:  # a restart keeps the same pseudonyms
        [record] = [r async for r in engine.decisions.export()]
        assert record.user == engine.pseudonymise("cli", "u")


async def test_two_instances_on_postgresql_and_redis_share_one_conversation(
    postgres_url: str, redis_server: str
) -> None:
    settings = Settings(database_url=postgres_url, redis_url=redis_server, pseudonym_key=KEY)
    conversation = f"c-{uuid.uuid4().hex}"

    def turn(**said: str) -> Turn:
        return Turn(channel="test", conversation=conversation, user="U1", **said)

    async with running_engine(settings) as first, running_engine(settings) as second:
        await first.handle(turn(text="the police want everything on a 15 year old"))
        await second.handle(turn(choice="no"))
        await first.handle(turn(choice="unclear"))
        [record] = [r async for r in second.decisions.export() if r.topic == "police"]
        assert record.answers == [("immediate-risk", "no"), ("police-purpose", "unclear")]
        assert record.outcome == "not-yet"
        await first.store.delete(f"test:{conversation}")
