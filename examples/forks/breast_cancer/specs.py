"""The data contract of breast_cancer.csv: drafted by `adclick init-schema` from 569 rows.

Bounds are the observed ranges widened by 10%; below them, what pathologists know.
"""

from adclick.data.declarations import Pair, number

LABEL = "diagnosis"
POSITIVE = "malignant"
ID_COLUMN = None  # none in the file: ids are generated
FEATURE_SPECS = (
    number("mean radius", 4, 31),
    number("mean texture", 6, 43),
    number("mean perimeter", 20, 210),
    number("mean area", 0, 2800),
    number("mean smoothness", 0.04, 0.18),
    number("mean compactness", 0, 0.38),
    number("mean concavity", 0, 0.47),
    number("mean concave points", 0, 0.23),
    number("mean symmetry", 0.08, 0.33),
    number("mean fractal dimension", 0.045, 0.103),
    number("radius error", 0, 3.2),
    number("texture error", 0, 5.4),
    number("perimeter error", 0, 25),
    number("area error", 0, 600),
    number("smoothness error", 0, 0.035),
    number("compactness error", 0, 0.15),
    number("concavity error", 0, 0.44),
    number("concave points error", 0, 0.059),
    number("symmetry error", 0.0, 0.087),
    number("fractal dimension error", 0, 0.033),
    number("worst radius", 5, 39),
    number("worst texture", 8, 54),
    number("worst perimeter", 30, 280),
    number("worst area", 0, 4700),
    number("worst smoothness", 0.05, 0.24),
    number("worst compactness", 0, 1.2),
    number("worst concavity", 0, 1.4),
    number("worst concave points", 0, 0.33),
    number("worst symmetry", 0.1, 0.72),
    number("worst fractal dimension", 0.03, 0.23),
)

# Larger, more irregular nuclei make a malignant tumour more likely.
DIRECTIONS = {"worst radius": 1, "worst concave points": 1}
SLICES = {"mean texture": (16, 22)}  # no categories here: judge the model across texture bands
MINIMUM_FUNCTIONALITY = (
    Pair("large, concave vs small, smooth", {"worst radius": 25.0, "worst concave points": 0.2},
         {"worst radius": 11.0, "worst concave points": 0.05}),
)  # fmt: skip
