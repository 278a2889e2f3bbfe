"""用人单位 tables of the unit database (created by the ``employer`` migration branch)."""
