"""``sbf-client`` on the command line: the same services as the desktop window, scriptable.

Every command takes ``--home DIR`` and ``--json`` (one JSON object on stdout, nothing else) and reads the
申报密码 from ``SBF_PASSWORD`` or a prompt. Business modules add their own commands through their
``ModuleSpec.cli`` hook, so this package imports no module.
"""
