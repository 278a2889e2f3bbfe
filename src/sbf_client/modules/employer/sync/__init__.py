"""What the employer module syncs: the unit's employees (职工参保信息)."""
