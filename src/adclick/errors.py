"""Errors a user can fix: the CLI prints them as one line and exits non-zero.

Anything that is not an `AdclickError` is a bug and keeps its traceback.
"""


class AdclickError(Exception):
    """A problem with the user's input, files or configuration, not with the code."""

    exit_code = 2


class ConfigError(AdclickError):
    """params.yaml (or a value overriding it) is invalid."""


class ContractError(AdclickError):
    """The data contract (src/adclick/data/specs.py) declares something impossible."""


class DataFileError(AdclickError):
    """A data file is missing, unreadable or of an unsupported format."""


class DataValidationError(AdclickError):
    """A data frame breaks the schema; `failures` holds one row per failed check."""

    def __init__(self, message: str, failures: list[dict[str, object]] | None = None) -> None:
        super().__init__(message)
        self.failures = failures or []


class ModelNotFoundError(AdclickError):
    """A model URI or registry alias does not resolve to a model."""


class PromotionRefusedError(AdclickError):
    """The challenger failed at least one gate; the champion alias was not moved."""

    exit_code = 1

    def __init__(self, message: str, failed_gates: list[dict[str, object]]) -> None:
        super().__init__(message)
        self.failed_gates = failed_gates
