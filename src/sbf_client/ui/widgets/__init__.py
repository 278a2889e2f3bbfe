"""Shared widgets for list pages: a lazy table over SQL with paging and a collapsible query form."""
