"""Web pages on the shared server: the chat at ``/chat`` (``chat.py``), its page and static
files as package data, and the security headers every page sends (``headers.py``)."""
