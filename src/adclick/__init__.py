"""adclick: a personalised-ad click model built to show how ML systems are tested.

Kept import-light on purpose: the CLI imports this package on every call, so heavy
libraries (pandas, scikit-learn, MLflow) are imported by the modules that need them.
"""

__version__ = "0.1.0"
