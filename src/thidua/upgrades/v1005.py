"""1005: one upgrade for the features of this version, each a function below,
run in the order of ``STEPS``."""

from thidua.accessibility import accessible_defaults
from thidua.upgrades import public_home
from thidua.upgrades.certificate import add_certificate_configlet
from thidua.upgrades.easyform import install_easyform
from thidua.upgrades.identity import add_identity_record
from thidua.upgrades.nurture import grant_edit_nurture_plan
from thidua.upgrades.people import add_people_tab
from thidua.upgrades.roles import register_council_roles


def upgrade(context):
    for step in STEPS:
        step(context)


# Each feature that needs existing sites changed appends its function here.
STEPS = (
    install_easyform,
    add_certificate_configlet,
    accessible_defaults,
    public_home.upgrade,
    register_council_roles,
    add_identity_record,
    add_people_tab,
    grant_edit_nurture_plan,
)
