"""The 用人单位 side of the 管理子系统 API: its contract (``contract``, shared with the sandbox) and its calls
(``api``).

Importing this package imports neither: the sandbox imports ``contract`` alone, never the client's ``api``.
"""
