"""Movement (Phong trào thi đua): a named emulation movement inside a plan."""

from plone.app.textfield import RichText
from plone.supermodel import model
from thidua import _
from thidua.content import limits
from thidua.content.publishing import ThiduaContainer
from thidua.content.validation import FieldInvalid
from zope import schema
from zope.interface import implementer
from zope.interface import invariant


class IMovement(model.Schema):
    lead_agency = schema.TextLine(title=_("Lead agency"), required=False, max_length=limits.LINE)
    coordinating_agencies = schema.List(
        title=_("Coordinating agencies"),
        value_type=schema.TextLine(max_length=limits.LINE),
        max_length=limits.LIST_ITEMS,
        required=False,
        default=[],
    )
    field = schema.Choice(title=_("Field"), vocabulary="thidua.fields", required=False)
    criteria = RichText(
        title=_("Criteria"),
        required=False,
        max_length=limits.RICH_TEXT,
    )
    quota_collective = schema.Int(
        title=_("Collectives to find"), description=_("At least this many."), default=0, min=0
    )
    quota_individual = schema.Int(
        title=_("Individuals to find"), description=_("At least this many."), default=0, min=0
    )
    quota_household = schema.Int(
        title=_("Households to find"), description=_("At least this many."), default=0, min=0
    )
    start = schema.Date(title=_("Start"), required=False)
    end = schema.Date(title=_("End"), required=False)

    @invariant
    def dates_in_order(data):
        if data.start is not None and data.end is not None and data.start > data.end:
            raise FieldInvalid(_("The movement must not end before it starts."), "end")


@implementer(IMovement)
class Movement(ThiduaContainer):
    """A movement.

    Its candidates are many and often created at once (a unit's whole list,
    from a portal): concurrent creates conflicted beyond Zope's retries on
    what each of them wrote on the movement. Now a create touches only the
    folder's BTree buckets and counter, whose conflicts ZODB resolves."""

    # plone.folder's default ordering keeps the order in one persistent list;
    # candidates are listed by the catalog, sorted as each page needs.
    _ordering = "unordered"

    def notifyModified(self):
        """Plone reindexes a folder, stamping its modification date, whenever
        an item is added to it or removed (IContainerModifiedEvent): a write
        on the movement and on its catalog record that two creates cannot
        both make. The movement is modified when its own fields change,
        which makes this transaction write the movement itself."""
        if self._p_changed or self._p_jar is None:
            super().notifyModified()
