"""The 代收单位 side of the 管理子系统 API: its contract (``contract``), shared with the sandbox."""
