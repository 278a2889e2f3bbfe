"""UI tests: pytest-qt clicks like a user, and every window and dialog is saved as a screenshot."""
