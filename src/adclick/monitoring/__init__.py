"""After deployment: drift between a reference and current data, the degradation demo, and a
monitored replay of daily batches (docs/drift.md, docs/monitoring.md)."""
