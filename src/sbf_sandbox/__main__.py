"""``python -m sbf_sandbox``: the same as the ``sbf-sandbox`` command."""

from .cli import main

raise SystemExit(main())
