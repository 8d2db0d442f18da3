from plone import api
from plone.restapi.interfaces import IExpandableElement
from plone.restapi.services import Service
from thidua import permissions
from thidua.dashboard import dashboard
from thidua.services import params
from thidua.services.errors import error
from thidua.services.errors import error_body
from zope.component import adapter
from zope.interface import implementer
from zope.interface import Interface


@implementer(IExpandableElement)
@adapter(Interface, Interface)
class Dashboard:
    """``?expand=dashboard``: only for staff; for anyone else the link alone."""

    def __init__(self, context, request):
        self.context = context
        self.request = request

    def __call__(self, expand=False):
        url = f"{self.context.absolute_url()}/@dashboard"
        if not expand or not api.user.has_permission(permissions.ViewDashboard, obj=self.context):
            return {"dashboard": {"@id": url}}
        try:
            year = params.integer(self.request, "year", minimum=1945, maximum=2200)
        except params.ParameterError as problem:
            return {
                "dashboard": {
                    "@id": url,
                    **error_body(self.request, 400, problem.message, problem.field),
                }
            }
        return {"dashboard": dashboard(self.context, year=year)}


class DashboardGet(Service):
    def reply(self):
        try:
            year = params.integer(self.request, "year", minimum=1945, maximum=2200)
        except params.ParameterError as problem:
            return error(self.request, 400, problem.message, problem.field)
        return dashboard(self.context, year=year)
