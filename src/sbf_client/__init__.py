"""sbf-client: the 社保费管理客户端 desktop client, its services, store and sync engine."""

__version__ = "0.1.0"
