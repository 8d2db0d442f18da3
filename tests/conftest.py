from pytest_plone import fixtures_factory
from thidua.testing import THIDUA_FUNCTIONAL_TESTING
from thidua.testing import THIDUA_INTEGRATION_TESTING

import os
import pytest


# Compile the .po catalogues when the test layers load thidua's ZCML.
os.environ.setdefault("zope_i18n_compile_mo_files", "true")


pytest_plugins = ["pytest_plone"]


globals().update(
    fixtures_factory(
        (
            (THIDUA_FUNCTIONAL_TESTING, "functional"),
            (THIDUA_INTEGRATION_TESTING, "integration"),
        )
    )
)


@pytest.fixture
def package_name() -> str:
    return "thidua"
