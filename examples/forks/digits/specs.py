"""The data contract of digits.csv: drafted by `adclick init-schema` from 1797 rows, kept as drafted.

Every pixel is a grey level from 0 to 16, not a code: the draft's notes on a few border pixels
are answered by leaving them integers; the three pixels blank in every image were left out by
the draft. Nothing else is known to declare: no protected attribute, no direction of effect, no
slice, no obvious pair; the checks that need them say "not judged".
"""

from adclick.data.declarations import boolean, category, integer, number  # noqa: F401

LABEL = "digit"
POSITIVE = "eight"
ID_COLUMN = None  # none in the file: ids are generated
FEATURE_SPECS = (
    integer("pixel_0_1", 0, 9),
    integer("pixel_0_2", 0, 18),
    integer("pixel_0_3", 0, 18),
    integer("pixel_0_4", 0, 18),
    integer("pixel_0_5", 0, 18),
    integer("pixel_0_6", 0, 18),
    integer("pixel_0_7", 0, 17),
    integer("pixel_1_0", 0, 3),
    integer("pixel_1_1", 0, 18),
    integer("pixel_1_2", 0, 18),
    integer("pixel_1_3", 0, 18),
    integer("pixel_1_4", 0, 18),
    integer("pixel_1_5", 0, 18),
    integer("pixel_1_6", 0, 18),
    integer("pixel_1_7", 0, 14),
    integer("pixel_2_0", 0, 3),
    integer("pixel_2_1", 0, 18),
    integer("pixel_2_2", 0, 18),
    integer("pixel_2_3", 0, 18),
    integer("pixel_2_4", 0, 18),
    integer("pixel_2_5", 0, 18),
    integer("pixel_2_6", 0, 18),
    integer("pixel_2_7", 0, 9),  # 8 values: a code? then category("pixel_2_7", (...))
    integer("pixel_3_0", 0, 2),
    integer("pixel_3_1", 0, 17),
    integer("pixel_3_2", 0, 18),
    integer("pixel_3_3", 0, 18),
    integer("pixel_3_4", 0, 18),
    integer("pixel_3_5", 0, 18),
    integer("pixel_3_6", 0, 17),
    integer("pixel_3_7", 0, 2),
    integer("pixel_4_1", 0, 16),
    integer("pixel_4_2", 0, 18),
    integer("pixel_4_3", 0, 18),
    integer("pixel_4_4", 0, 18),
    integer("pixel_4_5", 0, 18),
    integer("pixel_4_6", 0, 16),
    integer("pixel_5_0", 0, 5),
    integer("pixel_5_1", 0, 18),
    integer("pixel_5_2", 0, 18),
    integer("pixel_5_3", 0, 18),
    integer("pixel_5_4", 0, 18),
    integer("pixel_5_5", 0, 18),
    integer("pixel_5_6", 0, 18),
    integer("pixel_5_7", 0, 7),
    integer("pixel_6_0", 0, 9),  # 4 values: a code? then category("pixel_6_0", (...))
    integer("pixel_6_1", 0, 18),
    integer("pixel_6_2", 0, 18),
    integer("pixel_6_3", 0, 18),
    integer("pixel_6_4", 0, 18),
    integer("pixel_6_5", 0, 18),
    integer("pixel_6_6", 0, 18),
    integer("pixel_6_7", 0, 15),  # 12 values: a code? then category("pixel_6_7", (...))
    integer("pixel_7_0", 0, 2),
    integer("pixel_7_1", 0, 10),
    integer("pixel_7_2", 0, 18),
    integer("pixel_7_3", 0, 18),
    integer("pixel_7_4", 0, 18),
    integer("pixel_7_5", 0, 18),
    integer("pixel_7_6", 0, 18),
    integer("pixel_7_7", 0, 18),
)
