"""The business-module contract (plain, Qt-free data) and the registry that finds modules by entry point."""
