"""The data contract of penguins.csv: drafted by `adclick init-schema` from 344 rows.

Bounds are the observed ranges widened by 10%; below them, what field biologists know.
"""

from adclick.data.declarations import Pair, category, integer, number

LABEL = "sex"
POSITIVE = "female"
ID_COLUMN = None  # none in the file: ids are generated
FEATURE_SPECS = (
    category("species", ("Adelie", "Chinstrap", "Gentoo")),
    category("island", ("Biscoe", "Dream", "Torgersen")),
    number("bill_length_mm", 29, 63, nullable=True),
    number("bill_depth_mm", 12.2, 22.4, nullable=True),
    integer("flipper_length_mm", 166, 237, nullable=True),
    integer("body_mass_g", 2300, 6700, nullable=True),
    integer("year", 2006, 2010),
)

# Within a species, females are lighter and have shallower bills.
DIRECTIONS = {"body_mass_g": -1, "bill_depth_mm": -1}
MINIMUM_FUNCTIONALITY = (Pair("light vs heavy", {"body_mass_g": 3300}, {"body_mass_g": 4600}),)
