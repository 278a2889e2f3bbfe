"""用人单位 commands of ``sbf-client`` (added through the module's ``ModuleSpec.cli`` hook)."""
