from functools import cache
from pathlib import Path
from plone.restapi.services import Service

import copy
import yaml


DOCUMENT = Path(__file__).parents[2] / "openapi" / "thidua.openapi.yaml"


@cache
def document():
    """The shipped YAML, read once a process: it only changes with a release."""
    return yaml.safe_load(DOCUMENT.read_text(encoding="utf-8"))


class OpenAPIGet(Service):
    """The document as JSON, its ``servers`` this site, so that tools pointed at
    ``<site>/@openapi`` call the site they read it from."""

    def reply(self):
        result = copy.deepcopy(document())
        result["servers"] = [
            {"url": self.context.absolute_url(), "description": self.context.Title()}
        ]
        return result
