"""1005: the public home page as the site's view, and the tabs to the units
and the honour board (thidua.public)."""

from thidua.public import ensure_home


def upgrade(context):
    ensure_home(context)
