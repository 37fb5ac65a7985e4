"""The Slack adapter: Slack payloads -> core turns (convert), core replies -> Block Kit (blocks),
served by slack-bolt (app) on the shared aiohttp server (routes).

Importing this package imports no SDK; ``infoshare chat`` never loads one.
"""
