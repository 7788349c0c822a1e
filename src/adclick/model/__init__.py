"""The model stage, in plain scikit-learn and numpy: features, building and fitting the candidate
and its baselines, the one prediction path, metrics, behavioural checks and the model report.
Nothing here talks to MLflow (that is `adclick.tracking`)."""
