"""Pages of replication (thidua.replication): an Activity's and an Adoption's
own page, and the list of a unit's activities and adoptions below its body.
A model's reach on its public page is in public.py (CandidateView.replication).

Dates as dd/mm/yyyy, titles of kinds and levels in the reader's language, no
field names; a related item is shown only to whom may view it."""

from plone import api
from plone.app.layout.viewlets.common import ViewletBase
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from thidua.content.unit import unit_of
from thidua.language import plone_language
from thidua.public import day
from thidua.replication.content import ADOPTION
from thidua.replication.content import named_models
from thidua.replication.reach import activity_entry
from thidua.replication.reach import kind_titles
from thidua.replication.reach import PUBLISHED
from zope.i18n import translate


def _may_view(obj):
    return obj is not None and api.user.has_permission("View", obj=obj)


def _visible(relation):
    """The related object, if the reader may view it."""
    obj = getattr(relation, "to_object", None)
    return obj if _may_view(obj) else None


def _link(obj):
    return {"url": obj.absolute_url(), "title": obj.Title()} if obj is not None else None


def _state(obj, request):
    """(state id, its title) of a replication item."""
    state = api.content.get_state(obj, default="")
    workflows = api.portal.get_tool("portal_workflow")
    title = workflows.getTitleForStateOnType(state, obj.portal_type) if state else ""
    return state, translate(title, domain="plone", context=request)


class ReplicationItemView(BrowserView):
    """The page of an Activity or an Adoption, for whoever may view it."""

    def __call__(self):
        context = self.context
        kinds = kind_titles(plone_language())
        self.is_adoption = context.portal_type == "Adoption"
        self.models = [_link(obj) for obj in named_models(context) if _may_view(obj)]
        self.unit = _link(self.organising_unit())
        if self.is_adoption:
            self.kind = kinds[ADOPTION]
            self.date = day(context.adoption_date)
            self.result = context.result
        else:
            self.kind = kinds.get(context.activity_kind, "")
            self.date = day(context.activity_date)
            self.units = [
                _link(obj)
                for obj in map(_visible, context.participating_units or [])
                if obj is not None
            ]
            self.contest_form = _link(_visible(context.contest_form))
            self.learning_movement = _link(_visible(context.learning_movement))
            self.body = context.body.output if context.body else ""
        self.state, self.state_title = _state(context, self.request)
        return self.index()

    def organising_unit(self):
        unit = unit_of(self.context)
        return unit if unit is not None and api.user.has_permission("View", obj=unit) else None

    def evidence(self):
        """The evidence's download link and name, on an Activity that has one."""
        evidence = getattr(self.context, "evidence", None)
        if not evidence:
            return None
        return {
            "url": f"{self.context.absolute_url()}/@@download/evidence/{evidence.filename}",
            "name": evidence.filename,
        }


class UnitReplicationViewlet(ViewletBase):
    """Below a unit's body: its own activities and adoptions, the newest first,
    those the reader may see (internal ones marked)."""

    index = ViewPageTemplateFile("replication_unit.pt")

    def update(self):
        super().update()
        kinds = kind_titles(plone_language())
        brains = api.content.find(
            context=self.context,
            depth=1,
            portal_type=["Activity", "Adoption"],
            sort_on="thidua_activity_date",
            sort_order="descending",
        )
        self.rows = []
        for brain in brains:
            entry = activity_entry(brain, kinds)
            entry["day"] = day(entry["date"])
            self.rows.append(entry)

    def published(self):
        return PUBLISHED
