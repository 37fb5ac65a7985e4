"""InfoShare Assistant's dialogue core: ``Engine.handle(Turn) -> Reply``.

The core never imports an adapter or a platform SDK; adapters import it.
"""

from bot.engine import Engine
from bot.models import Reply, Turn
from bot.settings import Settings

__all__ = ["Engine", "Reply", "Settings", "Turn"]
