"""1007: one upgrade for the changes of this version, each a function below,
run in the order of ``STEPS``."""

from thidua.upgrades.nurture import index_checkins


def upgrade(context):
    for step in STEPS:
        step(context)


# Each change that needs existing sites changed appends its function here.
STEPS = (
    # thidua_nurture_plan: the reach figures read only the models with a plan.
    index_checkins,
)
