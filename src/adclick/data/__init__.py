"""The data stage: the data contract (specs, schemas), the synthetic demo source, files, splits
and integrity checks. Nothing here knows about models or MLflow."""
