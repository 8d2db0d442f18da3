"""The Classic add and edit forms of thidua's types hold the title and the
description, which come from plone's ``plone.basic`` behavior, to the limits
the API holds them to (thidua.content.limits); other types keep plone's."""

from plone.app.dexterity.behaviors.metadata import IBasic
from thidua.content import limits
from z3c.form import validator
from zope.i18n import translate
from zope.interface import Invalid


THIDUA_TYPES = ("Unit", "Plan", "Movement", "Candidate", "Report")


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
