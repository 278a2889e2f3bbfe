"""代收单位 use cases shared by the UI and the command line."""
