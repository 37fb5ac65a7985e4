"""Policy reminders: short messages the IG team sends to staff channels, now or on a schedule.

``models`` and ``types`` are the interface the platform senders build on; ``schedules`` parses
and steps schedule rules in Europe/London time; ``scheduler`` claims due slots exactly once and
sends them; ``commands`` is what an IG member types in chat; ``digest`` the monthly review list.
"""
