"""``thidua:registerProfile``: GenericSetup profiles from the top-level profiles/ folder.

setuptools installs that folder as the package ``thidua.profiles`` (see
setup.py), which is not below ``src/thidua`` in an editable install, so
GenericSetup's own directive, which resolves ``directory`` against the ZCML
file's folder, cannot reach it.  This one takes the folder from where
``thidua.profiles`` was actually imported and otherwise is GenericSetup's.
"""

from pathlib import Path
from Products.GenericSetup.zcml import IRegisterProfileDirective
from Products.GenericSetup.zcml import registerProfile
from zope.interface import Interface

import thidua.profiles


PROFILES = Path(thidua.profiles.__file__).parent


class IProfileDirective(Interface):
    name = IRegisterProfileDirective["name"]
    title = IRegisterProfileDirective["title"]
    description = IRegisterProfileDirective["description"]
    provides = IRegisterProfileDirective["provides"]
    post_handler = IRegisterProfileDirective["post_handler"]
    pre_handler = IRegisterProfileDirective["pre_handler"]


def register_profile(_context, name="default", **kwargs):
    registerProfile(_context, name=name, directory=str(PROFILES / name), **kwargs)
