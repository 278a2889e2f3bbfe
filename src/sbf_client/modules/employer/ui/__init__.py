"""用人单位 pages and dialogs (PySide6), one page module per menu item."""
