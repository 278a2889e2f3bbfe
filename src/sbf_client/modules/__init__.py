"""Business modules, each a vertical slice (domain, store, sync, services, ui) registered as a plug-in."""
