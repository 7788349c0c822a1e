"""The prediction service, one module per job: the request contract, the model state, the
Prometheus metrics, the body-limit middleware and the app with its routes."""
