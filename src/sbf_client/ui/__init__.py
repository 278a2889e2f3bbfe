"""The desktop UI (PySide6): the shell windows and the widgets every page reuses.

Only this package and ``modules/*/ui`` import Qt. Work that touches the network, a large query or the
disk runs on worker threads through ``tasks``; the UI thread only draws and reacts.
"""
