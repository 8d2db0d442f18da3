"""``@@nhan-su`` ("Nhân sự") on a Unit: the members of each of its role groups,
with a user search to add people and a button to remove them, for whoever may
give those roles on the unit (thidua.delegation.members)."""

from plone import api
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from thidua import _
from thidua.delegation import members
from thidua.roles import ROLES
from zExceptions import BadRequest
from zExceptions import Unauthorized
from zope.i18n import translate


class PeopleView(BrowserView):
    def __call__(self):
        self.roles = members.delegable_roles(self.context)
        if not self.roles:
            raise Unauthorized("Only those who may delegate roles on this unit see its people.")
        if self.request.method == "POST":
            self.change()
            self.request.response.redirect(f"{self.context.absolute_url()}/@@nhan-su")
            return ""
        self.groups = members.role_groups(self.context)
        self.search_text = self.request.form.get("search", "")
        if not isinstance(self.search_text, str):
            raise BadRequest("search is text")
        self.found = members.search_users(self.search_text)
        return self.index()

    def change(self):
        CheckAuthenticator(self.request)
        form = self.request.form
        action, role, principal = form.get("action"), form.get("role"), form.get("principal")
        if not all(isinstance(value, str) for value in (action, role, principal)):
            raise BadRequest("action, role and principal are text")
        if action not in ("add", "remove"):
            raise BadRequest("action is add or remove")
        members.check(self.context, role)
        done = (members.add_member if action == "add" else members.remove_member)(
            self.context, role, principal
        )
        mapping = {"principal": principal, "role": translate(ROLES[role], context=self.request)}
        if not done:
            message, kind = _("Nothing changed for ${principal}.", mapping=mapping), "warning"
        elif action == "add":
            message, kind = _("${principal} now holds ${role} here.", mapping=mapping), "info"
        else:
            message, kind = _("${principal} no longer holds ${role} here.", mapping=mapping), "info"
        api.portal.show_message(message, request=self.request, type=kind)

    def can_change(self, role):
        return role in self.roles

    def role_title(self, role):
        return ROLES[role]
