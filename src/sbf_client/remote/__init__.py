"""Remote systems: the API contract (``contract``) shared with the sandbox, and the httpx client.

Importing this package imports nothing heavy; the sandbox imports ``sbf_client.remote.contract`` only.
"""
