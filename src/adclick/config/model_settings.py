"""Settings of the model: how it is built, when a slice can be judged, the model test layer's
thresholds, the deepchecks conditions and the promotion gates."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, Field

from adclick.config.base import AucScore, Fraction, PositiveShare, Section, Share

_RULE = re.compile(r"^(?:max_f(?P<beta>\d+(?:\.\d+)?)|(?P<metric>precision|recall)>=(?P<target>0?\.\d+|1(?:\.0*)?))$")
THRESHOLD_RULES = "a probability in [0, 1], or a rule: max_f1, max_f2, max_f0.5, precision>=0.8, recall>=0.6"


def parse_threshold(setting: float | str) -> float | tuple[str, float]:
    """`model.decision_threshold`: a fixed probability, or (`"f"`, beta) / (`"precision"` or
    `"recall"`, target) for a rule (`adclick.model.threshold`); ValueError naming what is accepted."""
    if isinstance(setting, str) and re.fullmatch(r"\s*[0-9.eE+-]+\s*", setting):
        setting = float(setting)  # a number written as text (a command line's --set)
    if isinstance(setting, int | float) and not isinstance(setting, bool):
        if 0.0 <= float(setting) <= 1.0:
            return float(setting)
        raise ValueError(f"{setting} is not a probability: {THRESHOLD_RULES}")
    match = _RULE.match(str(setting).replace(" ", ""))
    if match is None or (match["beta"] is not None and float(match["beta"]) <= 0):
        raise ValueError(f"{setting!r} is not a threshold rule: {THRESHOLD_RULES}")
    if match["beta"] is not None:
        return "f", float(match["beta"])
    return match["metric"], float(match["target"])


def _valid_threshold(setting: float | str) -> float | str:
    parsed = parse_threshold(setting)
    return parsed if isinstance(parsed, float) else setting


ThresholdSetting = Annotated[float | str, AfterValidator(_valid_threshold)]


class HistGradientBoostingSettings(Section):
    """The candidate classifier's hyperparameters (scikit-learn's names and meanings)."""

    learning_rate: float = Field(0.08, gt=0.0, le=1.0, description="shrinkage of each tree's contribution")
    max_iter: int = Field(300, ge=1, description="boosting rounds at most")
    max_leaf_nodes: int = Field(15, ge=2, description="leaves per tree at most")
    min_samples_leaf: int = Field(100, ge=1, description="training rows a leaf needs")
    l2_regularization: float = Field(1.0, ge=0.0, description="L2 penalty on the leaf values")
    early_stopping: bool = Field(True, description="stop when the validation loss stops improving")
    validation_fraction: Fraction = Field(0.1, description="of the training split, held out for early stopping")
    n_iter_no_change: int = Field(20, ge=1, description="rounds without improvement before stopping early")


class LogisticRegressionSettings(Section):
    """The linear baseline the model must beat."""

    C: float = Field(1.0, gt=0.0, description="inverse regularisation strength")
    max_iter: int = Field(1000, ge=1, description="solver iterations at most")


class ModelSettings(Section):
    """The model: its name in the registry, its decision threshold and how it is trained."""

    registered_name: str = Field("adclick", min_length=1, description="name in the MLflow model registry")
    decision_threshold: ThresholdSetting = Field(
        "max_f1", description="P(positive) at or above this is positive, or a rule chosen on validation rows"
    )
    threshold_validation_fraction: Fraction = Field(
        0.2, description="with a threshold rule: of the training split, held out to choose the threshold"
    )
    hist_gradient_boosting: HistGradientBoostingSettings = HistGradientBoostingSettings()
    enforce_known_directions: bool = Field(
        True, description="the trees obey the schema module's DIRECTIONS (monotonic constraints)"
    )
    logistic_regression: LogisticRegressionSettings = LogisticRegressionSettings()


class EvaluationSettings(Section):
    """When a slice (the schema module's SLICES) is large enough for its metrics to mean something."""

    min_slice_rows: int = Field(200, ge=1, description="smaller slices are reported as too small to judge")
    min_slice_class_count: int = Field(
        30, ge=1, description="so are slices with fewer positives (or negatives) than this"
    )


class ModelCheckSettings(Section):
    """Thresholds of the model test layer beyond the promotion gates (tests/model)."""

    min_slice_roc_auc: AucScore = Field(0.70, description="every slice large enough to judge")
    max_slice_auc_gap: AucScore = Field(0.08, description="best minus worst slice within one grouping")
    min_brier_skill: float = Field(
        0.05, le=1.0, description="1 - Brier / Brier of the positive rate alone (the dummy), on the test split"
    )
    max_expected_calibration_error: PositiveShare = Field(0.03, description="ECE of the test split")
    calibration_bins: int = Field(10, ge=2, le=100, description="equal-count bins of the reliability curve and the ECE")
    max_protected_shift: Share = Field(
        0.001, description="largest change of P(positive) when only the protected attribute changes"
    )
    max_direction_violation_rate: Share = Field(
        0.01, description="share of rows whose P(positive) moves against a known direction"
    )
    min_direction_effect: Share = Field(0.01, description="mean change of P(positive) in a known direction ...")
    direction_step_iqr: float = Field(
        1.0, gt=0.0, description="... when the column moves by this many IQRs (clipped to its bounds)"
    )
    stability_seeds: list[Annotated[int, Field(ge=0)]] = Field(
        [1, 2], min_length=1, description="other seeds for data, split and training ..."
    )
    max_auc_spread_across_seeds: AucScore = Field(
        0.02, description="... whose test ROC AUC must stay this close to the params seed's"
    )
    noise_standard_errors: float = Field(
        3.0, gt=0.0, description="or this many standard errors, where a small test set is noisier (also the ECE)"
    )
    overfit_rows: int = Field(300, ge=20, description="sanity: a model free to memorise must learn this many rows ...")
    min_overfit_auc: AucScore = Field(0.97, description="... to at least this AUC on them")
    max_shuffled_label_auc_gap: AucScore = Field(
        0.1, description="sanity: trained on shuffled labels, the AUC stays this close to 0.5 (or the noise band)"
    )


class DeepchecksSettings(Section):
    """Conditions of the deepchecks suite (make test-deepchecks); drift scores, predictive power
    (PPS) and relative changes are all on a 0-1 scale."""

    max_feature_label_pps: PositiveShare = Field(0.5, description="no feature alone predicts the label this well")
    max_feature_drift: PositiveShare = Field(0.1, description="train vs test, per feature (KS / Cramer's V)")
    max_label_drift: PositiveShare = Field(0.05, description="train vs test, the label")
    max_multivariate_drift: PositiveShare = Field(0.1, description="domain classifier: 0 = indistinguishable")
    max_pps_change: PositiveShare = Field(0.1, description="a feature's predictive power changing train to test")
    min_weak_segment_relative_accuracy: PositiveShare = Field(
        0.75, description="worst segment's accuracy / overall accuracy"
    )
    min_auc_gain_over_simple_model: PositiveShare = Field(0.1, description="(AUC - simple AUC) / (1 - simple AUC)")
    max_train_test_auc_degradation: PositiveShare = Field(0.05, description="relative drop from train to test")


class GateSettings(Section):
    """Promotion moves the champion alias only if all of these pass, each decided beyond noise."""

    min_roc_auc: AucScore = Field(0.75, description="test ROC AUC at least this")
    min_auc_margin_over_dummy: AucScore = Field(0.15, description="above the prior-predicting baseline by this")
    min_auc_margin_over_logistic: float | None = Field(
        None, ge=-1.0, le=1.0, description="above the logistic baseline by this; unset: not below it beyond noise"
    )
    max_auc_drop_vs_champion: AucScore | None = Field(
        None, description="below the current champion by at most this; unset: not below it beyond noise"
    )
    noise_standard_errors: float = Field(
        2.0, gt=0.0, description="a gate this close to its limit (in standard errors of the AUC) is not judged"
    )
