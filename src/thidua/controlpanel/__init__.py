"""The Thi đua control panel: the lists administrators keep."""

from datetime import date
from html import escape
from plone import api
from plone.app.registry.browser.controlpanel import ControlPanelFormWrapper
from plone.app.registry.browser.controlpanel import RegistryEditForm
from plone.registry.interfaces import IRegistry
from plone.z3cform.fieldsets.group import Group
from thidua import _
from thidua.content.rules import IDENTITY_PREFIX
from thidua.content.rules import IIdentitySettings
from thidua.cors import IThiduaCORSSettings
from thidua.cors import PREFIX as CORS_PREFIX
from thidua.vocabularies import parse_entry
from thidua.workdays import days_off
from thidua.workdays import IWorkingCalendar
from thidua.workdays import PREFIX as WORKDAYS_PREFIX
from zope import schema
from zope.component import getUtility
from zope.i18n import translate
from zope.interface import Interface
from zope.interface import Invalid


def _entries_valid(lines):
    ids = [parse_entry(line)[0] for line in lines]
    if any(not token or not token.isascii() or " " in token for token in ids):
        raise Invalid(_("Each line starts with an id in plain letters, digits or _, then |."))
    if len(ids) != len(set(ids)):
        raise Invalid(_("Each id may appear only once."))
    return True


def _lines(title, description):
    return schema.List(
        title=title,
        description=description,
        value_type=schema.TextLine(),
        required=False,
        default=[],
        constraint=_entries_valid,
    )


HOW = _("One entry per line: id|Vietnamese title|English title.")


class IThiduaSettings(Interface):
    unit_levels = _lines(_("Unit levels"), HOW)
    fields = _lines(_("Fields of work"), HOW)
    honour_forms = _lines(_("Forms of honour"), HOW)


# The fieldsets that edit records of their own, under their own prefix.
PREFIXES = {
    IThiduaCORSSettings: CORS_PREFIX,
    IWorkingCalendar: WORKDAYS_PREFIX,
    IIdentitySettings: IDENTITY_PREFIX,
}


class SettingsGroup(Group):
    """A fieldset; CORS, the working calendar and identity numbers edit their own records."""

    def getContent(self):
        interfaces = {f.field.interface for f in self.fields.values()}
        if len(interfaces) == 1 and (interface := interfaces.pop()) in PREFIXES:
            return getUtility(IRegistry).forInterface(interface, prefix=PREFIXES[interface])
        return super().getContent()


class ThiduaSettingsForm(RegistryEditForm):
    schema = IThiduaSettings
    schema_prefix = "thidua"
    additionalSchemata = (IWorkingCalendar, IIdentitySettings, IThiduaCORSSettings)
    group_class = SettingsGroup
    label = _("Emulation and commendation settings")
    description = _("The lists that units, movements and candidates choose from.")


class ThiduaSettings(ControlPanelFormWrapper):
    form = ThiduaSettingsForm

    @property
    def description(self):
        """The form's description, a link to the chains' page and this year's
        days off (the layout renders HTML)."""
        about = translate(self.form_instance.description, context=self.request)
        chains = translate(_("Approval chains"), context=self.request)
        url = f"{api.portal.get().absolute_url()}/@@thidua-chains"
        return f'{escape(about)} <a href="{escape(url)}">{escape(chains)}</a>{self.calendar()}'

    def calendar(self):
        year = date.today().year
        language = self.request.get("LANGUAGE", "vi")
        title = translate(
            _("Days off and make-up working days in ${year}", mapping={"year": str(year)}),
            context=self.request,
        )
        worked = translate(_("working day"), context=self.request)
        rows = "".join(
            f"<li>{day.strftime('%d/%m/%Y')}: {escape(reason)}"
            + (f" ({escape(worked)})" if working else "")
            + "</li>"
            for day, reason, working in days_off(year, language)
        )
        summary = f"<summary>{escape(title)}</summary>"
        return f'<details class="thidua-calendar">{summary}<ul>{rows}</ul></details>'
