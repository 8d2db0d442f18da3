"""The public portal's pages (thidua.public): the site's home page, the list
of units and a candidate's page made for citizens."""

from plone import api
from plone.app.contenttypes import behaviors
from plone.app.contenttypes.behaviors.viewlets import LeadImageViewlet as BaseLeadImageViewlet
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from thidua import permissions
from thidua.content.candidate import ICandidate
from thidua.content.candidate import PERSONAL_DATA
from thidua.language import plone_language
from thidua.public import candidate_facts
from thidua.public import day
from thidua.public import newest_honoured
from thidua.public import plans_in_force
from thidua.public import units
from thidua.replication.reach import activities
from thidua.replication.reach import reach
from thidua.vocabularies import GENDERS
from zope.i18n import translate
from zope.schema import getFieldsInOrder

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
    panel and ballot (viewlets around this body), and those who may read the
    personal data (the unit's staff and council) see it in a section of its own;
    nobody else ever gets it on this page."""

    def __call__(self):
        self.facts = candidate_facts(self.context, plone_language())
        return self.index()

    def personal_data(self):
        """(label, value) of the filled personal-data fields, for those with
        the permission to read them; None for everyone else."""
        if not api.user.has_permission(permissions.ViewPersonalData, obj=self.context):
            return None
        language = plone_language()
        fields = getFieldsInOrder(ICandidate)
        rows = []
        for name, field in fields:
            if name not in PERSONAL_DATA:
                continue
            value = getattr(self.context, name, None)
            if value in (None, ""):
                continue
            if name == "birth_date":
                value = day(value)
            elif name == "gender":
                value = translate(GENDERS.getTerm(value).title, context=self.request)
            rows.append((translate(field.title, target_language=language), value))
        return rows

    def replication(self):
        """Nhân rộng điển hình: the activities naming the model that the reader
        may see (anonymous readers: public ones only; staff also internal ones,
        marked), and the units that adopted it."""
        language = plone_language()
        public_only = api.user.is_anonymous()
        figures = reach(self.context, public_only=public_only, language=language)
        rows = []
        for entry in activities(self.context, public_only, language):
            if entry["type"] != "Activity":
                continue
            entry["day"] = day(entry["date"])
            rows.append(entry)
        return {
            "activities": rows,
            "adopting_total": figures["adopting_units_total"],
            "adopting": figures["adopting_units"],
            "participants": figures["participants"],
            "levels": figures["levels"],
        }

    def feedback_url(self):
        """The public-notice feedback form (browser/feedback.py)."""
        return f"{self.context.absolute_url()}/@@{FEEDBACK_VIEW}"


class LeadImageViewlet(BaseLeadImageViewlet):
    """Plone's lead image above the title, except on a candidate, whose page
    shows the photo itself."""

    index = ViewPageTemplateFile("leadimage.pt", _prefix=os.path.dirname(behaviors.__file__))

    def render(self):
        return "" if ICandidate.providedBy(self.context) else super().render()
