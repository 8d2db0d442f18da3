"""The public portal's pages (thidua.public): the site's home page, the list
of units and a candidate's page made for citizens."""

from plone.app.contenttypes import behaviors
from plone.app.contenttypes.behaviors.viewlets import LeadImageViewlet as BaseLeadImageViewlet
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from thidua.content.candidate import ICandidate
from thidua.language import plone_language
from thidua.public import candidate_facts
from thidua.public import newest_honoured
from thidua.public import plans_in_force
from thidua.public import units
from zope.component import queryMultiAdapter

import os


FEEDBACK_VIEW = "gop-y"


class HomeView(BrowserView):
    """``@@thidua-home``: the site's default view."""

    def __call__(self):
        self.honoured = newest_honoured(self.context, plone_language())
        self.units = units()
        self.plans = plans_in_force()
        return self.index()


class UnitsView(BrowserView):
    """``@@don-vi``: every unit the visitor may see, each under the unit above it."""

    def __call__(self):
        self.units = units()
        return self.index()


class CandidateView(BrowserView):
    """A candidate's page for everyone: the public facts, and during the public
    notice its last day and where to give an opinion. Staff keep their chain
    panel and ballot (viewlets around this body); personal data is never here:
    staff read and write it in the edit form and through the API."""

    def __call__(self):
        self.facts = candidate_facts(self.context, plone_language())
        return self.index()

    def feedback_url(self):
        """The feedback form's address, once the forms feature provides it."""
        if queryMultiAdapter((self.context, self.request), name=FEEDBACK_VIEW) is None:
            return None
        return f"{self.context.absolute_url()}/@@{FEEDBACK_VIEW}"


class LeadImageViewlet(BaseLeadImageViewlet):
    """Plone's lead image above the title, except on a candidate, whose page
    shows the photo itself."""

    index = ViewPageTemplateFile("leadimage.pt", _prefix=os.path.dirname(behaviors.__file__))

    def render(self):
        return "" if ICandidate.providedBy(self.context) else super().render()
