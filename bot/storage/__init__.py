"""Embedded implementations of the core's storage Protocols (bot.types)."""
