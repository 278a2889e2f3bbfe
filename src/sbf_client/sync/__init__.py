"""Change-feed replication into unit databases (全量更新 / 增量更新): resumable, atomic, generic over datasets."""
