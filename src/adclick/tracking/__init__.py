"""Every MLflow call: logging a training run, the registry (versions, aliases, loading), the
promotion gates built on MLflow's validation, evaluation of a registered model, promotion."""
