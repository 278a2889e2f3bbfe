"""``python -m sbf_client`` and the frozen program's entry: the same as the ``sbf-client`` command."""

from sbf_client.app import main

raise SystemExit(main())
