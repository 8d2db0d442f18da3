"""1005: one upgrade for the features of this version, each a function below,
run in the order of ``STEPS``."""

from thidua.upgrades.easyform import install_easyform
from thidua.upgrades.identity import add_identity_record
from thidua.upgrades.people import add_people_tab
from thidua.upgrades.roles import register_council_roles


def upgrade(context):
    for step in STEPS:
        step(context)


# Each feature that needs existing sites changed appends its function here.
STEPS = (install_easyform, register_council_roles, add_identity_record, add_people_tab)
