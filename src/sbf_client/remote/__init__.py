"""Remote systems, the part both businesses share: the API contract (``contract``) shared with the sandbox, and
the httpx client (transport, sessions, login, regions, feed paging, submissions, errors).

A business's own calls and contract live in its module (``modules/<business>/remote``). Importing this package
imports nothing heavy; the sandbox imports ``sbf_client.remote.contract`` only.
"""
