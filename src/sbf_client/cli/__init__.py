"""``sbf-client`` on the command line: the same services as the desktop window, scriptable.

Every command takes ``--home DIR`` and ``--json`` (one JSON object on stdout, nothing else). A command that
shows or changes a unit's data logs in as the window does; the 申报密码 comes from ``--password-stdin``,
``SBF_PASSWORD`` or a prompt, never from an argument (see ``common.py``). Business modules add their own
commands through their ``ModuleSpec.cli`` hook, so this package imports no module.
"""
