from plone import api
from plone.restapi.services import Service
from thidua import permissions
from thidua.dashboard import dashboard
from thidua.services import params
from thidua.services.errors import error
from thidua.services.errors import error_body
from thidua.services.expandable import ExpandableElement
from zope.component import adapter
from zope.interface import Interface


@adapter(Interface, Interface)
class Dashboard(ExpandableElement):
    """``?expand=dashboard``: only for staff; for anyone else the link alone."""

    name = "dashboard"

    def may_expand(self):
        return api.user.has_permission(permissions.ViewDashboard, obj=self.context)

    def expanded(self):
        try:
            year = params.integer(self.request, "year", minimum=1945, maximum=2200)
        except params.ParameterError as problem:
            return {
                "@id": self.url,
                **error_body(self.request, 400, problem.message, problem.field),
            }
        return dashboard(self.context, year=year)


class DashboardGet(Service):
    def reply(self):
        try:
            year = params.integer(self.request, "year", minimum=1945, maximum=2200)
        except params.ParameterError as problem:
            return error(self.request, 400, problem.message, problem.field)
        return dashboard(self.context, year=year)
