"""``GET @reach`` on a Candidate: the figures of its reach and the list of the
activities and adoptions that name it, for anyone who may view the candidate.
Anonymous readers count only public items; staff also what their role lets
them see in the catalog. Catalog metadata only: no personal data."""

from plone import api
from plone.restapi.services import Service
from thidua.language import request_language
from thidua.replication.reach import activities
from thidua.replication.reach import reach


def _date(value):
    return value.strftime("%Y-%m-%d") if hasattr(value, "strftime") else None


def reach_json(context, request):
    language = request_language(request)
    public_only = api.user.is_anonymous()
    figures = reach(context, public_only=public_only, language=language)
    items = []
    for entry in activities(context, public_only, language):
        items.append(
            {
                "@id": entry["@id"],
                "@type": entry["type"],
                "title": entry["title"],
                "kind": entry["kind"],
                "date": _date(entry["date"]),
                "unit": entry["unit"],
                "participants": entry["participants"],
                "outlet": entry["outlet"],
                "link": entry["link"],
                "public": entry["public"],
            }
        )
    return {
        "@id": f"{context.absolute_url()}/@reach",
        "public_only": public_only,
        **figures,
        "items": items,
    }


class ReachGet(Service):
    def reply(self):
        response = self.request.response
        vary = [v.strip() for v in (response.getHeader("Vary") or "").split(",") if v.strip()]
        extra = [name for name in ("Accept", "Accept-Language") if name not in vary]
        response.setHeader("Vary", ", ".join(vary + extra))
        return reach_json(self.context, self.request)
