"""The shared API contract of the 管理子系统 (``/mgmt``) and 征收子系统 (``/coll``): paths, models, error codes.

Both the client and ``sbf_sandbox`` import it, so the two cannot drift apart. Each business module adds its
own part in ``modules/<business>/remote/contract.py`` (its feeds' records, its declarations). Paths are relative to a
region's root URL (for the sandbox, ``http://127.0.0.1:PORT/r/<region_id>``); admin paths (sandbox
only) are relative to the server root.
"""
