"""The submission outbox: every 提交 is written down before it is sent, and is sent at most once per key."""
