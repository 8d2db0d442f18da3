"""1005: collective.easyform installed on existing sites (thidua.forms)."""

from plone import api
from plone.base.utils import get_installer


def install_easyform(context):
    installer = get_installer(api.portal.get())
    if not installer.is_product_installed("collective.easyform"):
        installer.install_product("collective.easyform")
