"""Ids and layouts that would hide a folder's own pages.

Plone's ``check_id`` refuses the names of attributes, tools and catalog
indexes, but lets ``index_html`` through (a folder's default page, in
Classic Plone's past): an item so named replaces the page of the folder it
is in, for Anonymous too. A name that a view of the folder has would hide
that view the same way. A layout is one of the views the type offers."""

from plone.base.utils import check_id
from thidua import _
from zope.component import queryMultiAdapter

import Acquisition


def id_refusal(obj, new_id, container=None):
    """Why ``new_id`` may not name ``obj`` inside ``container`` (its parent
    by default), or None when it may."""
    if container is None:
        container = Acquisition.aq_parent(Acquisition.aq_inner(obj))
    request = getattr(obj, "REQUEST", None)
    if (
        new_id == "index_html"
        or new_id.startswith("@")
        or queryMultiAdapter((container, request), name=new_id) is not None
    ):
        return _("'${name}' is reserved for the pages of the site.", mapping={"name": new_id})
    return check_id(obj, id=new_id, required=1, contained_by=container)


def layout_refusal(obj, layout):
    """Why ``layout`` may not be the view of ``obj``, or None when it may."""
    offered = [view_id for view_id, title in obj.getAvailableLayouts()]
    if layout not in offered:
        return _(
            "The layout is one of the views offered for this type: ${offered}.",
            mapping={"offered": ", ".join(offered)},
        )
    return None
