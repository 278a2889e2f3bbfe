"""代收单位 tables of the unit database, created by the module's branch of the schema (``store.migrations``)."""
