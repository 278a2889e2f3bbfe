"""Integration tests: the client's remote layer and stores against a real sandbox process."""
