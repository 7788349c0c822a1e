"""Tools around the product, not the product: the CI report, benchmark reports and load checks.

Only the CLI imports this package; a team that does not want it deletes the folder and the
three CLI commands that call it (`report`, `bench-report`, `load`).
"""
