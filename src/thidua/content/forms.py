"""The Classic add and edit forms of thidua's types hold the title and the
description, which come from plone's ``plone.basic`` behavior, to the limits
the API holds them to (thidua.content.limits); other types keep plone's.
A Candidate's add form offers its personal data to those who may write it.
Every add form refuses, as any page does, a type the user may not add."""

from AccessControl import Unauthorized
from plone.app.dexterity.behaviors.metadata import IBasic
from plone.dexterity.browser import add
from plone.z3cform.interfaces import IDeferSecurityCheck
from thidua.content import limits
from thidua.content.initial import unsaved_item
from z3c.form import validator
from zExceptions import NotFound
from zope.i18n import translate
from zope.interface import Invalid


THIDUA_TYPES = (
    "Unit",
    "Plan",
    "Movement",
    "Candidate",
    "Report",
    "Cluster",
    "Activity",
    "Adoption",
)


class BasicTextValidator(validator.SimpleFieldValidator):
    def validate(self, value, force=False):
        super().validate(value, force)
        # An add form knows the type it adds; an edit form's context is the item.
        portal_type = getattr(self.view, "portal_type", None) or getattr(
            self.context, "portal_type", None
        )
        if portal_type not in THIDUA_TYPES:
            return
        # The message stands under the field: it names it by its label.
        label = translate(self.field.title, context=self.request)
        try:
            limits.check_text(value, label, limits.BEHAVIOR_FIELDS[self.field.__name__])
        except limits.TextRefused as problem:
            raise Invalid(problem.message) from None


# One class per field: the discriminators are set on the class.
class TitleValidator(BasicTextValidator):
    pass


class DescriptionValidator(BasicTextValidator):
    pass


validator.WidgetValidatorDiscriminators(TitleValidator, field=IBasic["title"])
validator.WidgetValidatorDiscriminators(DescriptionValidator, field=IBasic["description"])


class AddForm(add.DefaultAddForm):
    """Plone's add form answers a 500 (ValueError) to the form of a type the
    user may not add here; this one refuses as any page does: Unauthorized
    when a role would allow it, NotFound when the container takes no such
    type at all."""

    def update(self):
        if not IDeferSecurityCheck.providedBy(self.request):
            allowed = [fti.getId() for fti in self.context.allowedContentTypes()]
            if self.portal_type not in allowed:
                container_type = self.context.getTypeInfo()
                if container_type is not None and not container_type.allowType(self.portal_type):
                    raise NotFound(self.context, f"++add++{self.portal_type}", self.request)
                raise Unauthorized(f"++add++{self.portal_type}")
        super().update()


class AddView(add.DefaultAddView):
    form = AddForm


class CandidateAddForm(AddForm):
    """The add form of a Candidate, with the personal-data fieldset for those
    who may write it. plone.autoform checks a field's write permission on the
    form's context, here the movement, where the candidate workflow's
    permissions do not apply: the fields are chosen on the candidate as it
    will be once added, in its first state, as the edit form does in every
    later state (and as the API does: content/initial.py)."""

    def updateFieldsFromSchemata(self):
        container = self.context
        self.context = unsaved_item(container, self.portal_type)
        try:
            super().updateFieldsFromSchemata()
        finally:
            self.context = container


class CandidateAddView(AddView):
    form = CandidateAddForm
