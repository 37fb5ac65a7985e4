"""The Slack adapter: Slack payloads -> core turns (convert), core replies -> Block Kit (blocks),
served by slack-bolt (app) on the shared aiohttp server (routes).

Importing this package imports no SDK; ``infoshare chat`` never loads one.
"""

EVENTS_PATH = "/slack/events"  # events, interactivity and slash commands all arrive here
