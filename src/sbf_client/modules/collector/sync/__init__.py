"""What the collector module syncs: the 城乡居民 of the collecting agent."""
