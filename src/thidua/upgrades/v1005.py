"""1005: one upgrade for the features of this version, each a function below,
run in the order of ``STEPS``."""

from thidua.accessibility import accessible_defaults
from thidua.upgrades.honour_board_tab import honour_board_tab


def upgrade(context):
    for step in STEPS:
        step(context)


# Each feature that needs existing sites changed appends its function here.
STEPS = (accessible_defaults, honour_board_tab)
