"""``python -m bot``: the same as the ``infoshare`` command."""

from adapters.cli import main

raise SystemExit(main())
