"""The Microsoft Teams adapter: Bot Framework activities -> core turns (convert), core replies ->
Adaptive Cards (cards), on botbuilder's CloudAdapter (bot, routes) on the shared aiohttp server.

Importing this package imports no SDK; ``infoshare chat`` never loads one.
"""

MESSAGES_PATH = "/api/messages"  # every activity Bot Connector sends arrives here
