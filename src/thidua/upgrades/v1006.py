"""1006: one upgrade for the features of this version, each a function below,
run in the order of ``STEPS``."""

from thidua.upgrades.clusters import add_clusters
from thidua.upgrades.nurture import index_checkins
from thidua.upgrades.replication import add_reach
from thidua.upgrades.replication import add_replication


def upgrade(context):
    for step in STEPS:
        step(context)


# Each feature that needs existing sites changed appends its function here.
STEPS = (
    add_replication,
    add_reach,
    index_checkins,
    add_clusters,
)
