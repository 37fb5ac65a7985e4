"""Installs outlive the server: the conversation references are in the database, so after a
restart (a new app on the same SQLite file) the bot can still reach, and forget, every chat."""

from __future__ import annotations

import sqlite3

from botbuilder.schema import ConversationReference

from adapters.http import REFERENCES, SETTINGS
from adapters.teams.routes import TEAMS
from tests.adapters.conftest import ServeTeams
from tests.adapters.teams_kit import AAD, BOT, CHANNEL, PERSONAL, USER, TeamsServer, activity
from tests.fakes.bot_connector import TENANT, FakeBotConnector

REMINDER = {"type": "message", "text": "A reminder from the IG team"}


async def _install(teams: TeamsServer, conversation: str, kind: str) -> None:
    installed = activity("installationUpdate", teams.fake, conversation, kind, action="add")
    installed["conversation"]["name"] = "Children's services: Sam's cases"
    assert (await teams.send(installed)).status == 201
    await teams.settle()


async def test_an_install_is_still_known_after_a_restart_and_removed_after_it(
    serve_teams: ServeTeams, fake_connector: FakeBotConnector
) -> None:
    async with serve_teams() as teams:
        await _install(teams, PERSONAL, "personal")
        await _install(teams, CHANNEL, "channel")
        kept = await teams.app[REFERENCES].get(f"teams:{PERSONAL}")
        path = teams.app[SETTINGS].database_path
    assert kept is not None and path is not None
    assert len(fake_connector.sent()) == 2  # a hello in each

    async with serve_teams() as teams:  # the server restarts on the same database
        references = teams.app[REFERENCES]
        assert await references.get(f"teams:{PERSONAL}") == kept
        listed = [key async for key, _ in references.all()]
        assert listed == sorted([f"teams:{PERSONAL}", f"teams:{CHANNEL}"])
        # Teams' second notice of that install, arriving after the restart: no second hello
        joined = activity("conversationUpdate", teams.fake, membersAdded=[{"id": BOT}])
        assert (await teams.send(joined)).status == 201
        await teams.settle()
        assert len(fake_connector.sent()) == 2

        # what a reminder will do: reach the chat through the reference kept before the restart
        outbox = teams.app[TEAMS].outbox
        assert await outbox.deliver(ConversationReference().deserialize(kept), [REMINDER])
        assert fake_connector.sent()[-1].conversation == PERSONAL

        removed = activity("installationUpdate", teams.fake, action="remove")
        assert (await teams.send(removed)).status == 201
        assert await references.get(f"teams:{PERSONAL}") is None

    async with serve_teams() as teams:  # and the removal outlives the next restart
        assert [key async for key, _ in teams.app[REFERENCES].all()] == [f"teams:{CHANNEL}"]
    with sqlite3.connect(path) as db:
        [(stored,)] = db.execute("SELECT reference FROM conversation_references")
    assert CHANNEL in stored


async def test_a_kept_reference_holds_ids_and_the_tenant_never_names(teams: TeamsServer) -> None:
    await _install(teams, CHANNEL, "channel")
    kept = await teams.app[REFERENCES].get(f"teams:{CHANNEL}")

    assert kept == {
        "channelId": "msteams",
        "serviceUrl": teams.fake.service_url,
        "bot": {"id": BOT},
        "user": {"id": USER, "aadObjectId": AAD},
        "conversation": {"id": CHANNEL, "conversationType": "channel", "tenantId": TENANT},
    }
    path = teams.app[SETTINGS].database_path
    assert path is not None
    on_disk = b"".join(p.read_bytes() for p in path.parent.glob(f"{path.name}*"))
    for name in (b"Sam Staff", b"Sam's cases", b"InfoShare"):
        assert name not in on_disk
