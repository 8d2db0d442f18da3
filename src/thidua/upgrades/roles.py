"""1005: the council roles in Plone's role manager, so that Users and Groups
no longer writes them on a GET (thidua.roles.register_roles)."""

from thidua.roles import register_roles


def register_council_roles(context):
    register_roles(context)
