"""``?expand=<name>`` on content, as plone.restapi's components do: the link
to the ``@<name>`` endpoint, or, expanded for a caller who may see it, the
endpoint's answer."""

from plone.restapi.interfaces import IExpandableElement
from zope.interface import implementer


@implementer(IExpandableElement)
class ExpandableElement:
    name = None  # the component's name, its endpoint's without the @

    def __init__(self, context, request):
        self.context = context
        self.request = request

    @property
    def url(self):
        return f"{self.context.absolute_url()}/@{self.name}"

    def __call__(self, expand=False):
        if not expand or not self.may_expand():
            return {self.name: {"@id": self.url}}
        return {self.name: self.expanded()}

    def may_expand(self):
        return True

    def expanded(self):
        raise NotImplementedError
