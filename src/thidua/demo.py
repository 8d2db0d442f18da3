"""thidua:demo: the world of the seed plans (profiles/demo/world.yaml).

Units with their plans and movements, fictional candidates walked through
their approval chain to every state, and a demo account for each role in
three units (password DEMO_PASSWORD, listed in the README).  Applying it again
adds only what is missing.
"""

from DateTime import DateTime
from datetime import date
from pathlib import Path
from plone import api
from plone.app.textfield.value import RichTextValue
from plone.namedfile.file import NamedBlobImage
from thidua import ballot
from thidua import nurture
from thidua.chains.status import force_state
from thidua.content.unit import unit_of
from thidua.delegation import group_id
from thidua.delegation import holders
from thidua.demo_pictures import picture
from thidua.replication.subscribers import deferred
from z3c.relationfield import RelationValue
from zope.component import getUtility
from zope.event import notify
from zope.intid.interfaces import IIntIds
from zope.lifecycleevent import ObjectModifiedEvent

import yaml


WORLD = Path(__file__).parent / "profiles" / "demo" / "world.yaml"
FORMS = WORLD.parent / "forms"
DEMO_PASSWORD = "thidua-demo"  # noqa: S105  demo accounts, listed in the README
INTRO_ID = "gioi-thieu"
RICH = {"purpose", "requirements", "criteria", "achievements", "initiatives", "goals", "body"}
DATES = {
    "issued_date",
    "subplan_deadline",
    "midterm_review_date",
    "final_review_date",
    "start",
    "end",
    "honoured_date",
    "birth_date",
}
SKIP = {"units", "plans", "movements", "implements", "state", "movement", "id"}
COMMENT = "Dữ liệu mẫu"


def _value(name, value):
    if value is None:
        return None
    if name in RICH:
        return RichTextValue(value, "text/html", "text/x-html-safe")
    if name in DATES:
        return date.fromisoformat(value)
    if name == "quarterly_rotation":
        return [value[quarter] for quarter in sorted(value)]
    return value


def _fields(data):
    return {name: _value(name, value) for name, value in data.items() if name not in SKIP}


def _ensure(container, portal_type, obj_id, data):
    if obj_id in container.objectIds():
        return container[obj_id], False
    obj = api.content.create(
        container=container, type=portal_type, id=obj_id, safe_id=False, **_fields(data)
    )
    return obj, True


def _walk(obj, target):
    """Take ``obj`` to ``target`` as if its past had happened."""

    def backdate_the_notice(workflow, transition_id):
        if transition_id == "start_review":
            _backdate(obj, workflow.getId(), days=30)  # the notice went up a month ago

    force_state(obj, target, COMMENT, backdate_the_notice)


def _backdate(obj, workflow_id, days):
    history = list(obj.workflow_history[workflow_id])
    history[-1] = {**history[-1], "time": DateTime() - days}
    obj.workflow_history[workflow_id] = tuple(history)


def _picture(candidate):
    """A generated portrait or emblem (demo_pictures.py), never a real photo."""
    kind = candidate.kind or "individual"
    filename = "chan-dung.png" if kind == "individual" else "bieu-trung.png"
    data = picture(candidate.title, kind)
    return NamedBlobImage(data, filename=filename, contentType="image/png")


def _build_units(container, units, plans_by_key):
    for data in units or []:
        unit, created = _ensure(container, "Unit", data["code"].lower(), data)
        for plan_data in data.get("plans") or []:
            plan, plan_created = _ensure(unit, "Plan", plan_data["id"], plan_data)
            plans_by_key[f"{data['code']}/{plan_data['id']}"] = (plan, plan_data)
            if plan_created:
                _walk(plan, "issued")
            for movement_data in plan_data.get("movements") or []:
                movement, movement_created = _ensure(
                    plan, "Movement", movement_data["id"], movement_data
                )
                if movement_created:
                    _walk(movement, "launched")
        _build_units(unit, data.get("units"), plans_by_key)


def _link_plans(plans_by_key):
    intids = getUtility(IIntIds)
    for plan, data in plans_by_key.values():
        higher = plans_by_key.get(data.get("implements") or "")
        if higher and plan.implements is None:
            plan.implements = RelationValue(intids.getId(higher[0]))
            plan.reindexObject()


def _candidates(plans_by_key, candidates):
    for data in candidates or []:
        unit_code, plan_id, movement_id = data["movement"].split("/")
        plan, _ = plans_by_key[f"{unit_code}/{plan_id}"]
        candidate, created = _ensure(plan[movement_id], "Candidate", data["id"], data)
        if not created:
            continue
        if data["state"] in ("selected", "honoured"):
            candidate.image = _picture(candidate)
        _walk(candidate, data["state"])
        candidate.reindexObject()


def _users(users):
    for data in users or []:
        if api.user.get(username=data["id"]) is None:
            api.user.create(
                username=data["id"],
                email=data["email"],
                password=DEMO_PASSWORD,
                properties={"fullname": data["fullname"]},
            )
        unit = api.content.find(portal_type="Unit", unit_code=data["unit"], unrestricted=True)
        group = group_id(unit[0]._unrestrictedGetObject(), data["role"])
        api.group.add_user(groupname=group, username=data["id"])


def _ballots(plans_by_key, candidates):
    """Votes of the unit's council members (not the chair) in the current round,
    in the order of their ids, for candidates whose data has a ``ballot``."""
    for data in candidates or []:
        if not data.get("ballot"):
            continue
        unit_code, plan_id, movement_id = data["movement"].split("/")
        plan, _ = plans_by_key[f"{unit_code}/{plan_id}"]
        candidate = plan[movement_id][data["id"]]
        if ballot.tally(candidate)["voted"]:
            continue
        members = sorted(holders(unit_of(candidate), ["CouncilMember"]))
        choices = [c for c in ballot.CHOICES for _ in range(data["ballot"].get(c, 0))]
        for member, choice in zip(members, choices, strict=False):
            ballot.cast(candidate, member, choice)


def _nurture(plans_by_key, plans):
    """The demo's nurture plans, on candidates that have none yet."""
    for data in plans or []:
        unit_code, plan_id, movement_id, candidate_id = data["candidate"].split("/")
        plan, _ = plans_by_key[f"{unit_code}/{plan_id}"]
        candidate = plan[movement_id][candidate_id]
        if nurture.plan(candidate)["checkins"]:
            continue
        for entry in data["entries"]:
            nurture.add(candidate, entry["type"], entry)


def _clusters(plans_by_key, clusters):
    """The emulation blocs of the demo (thidua.clusters), and the plans addressed to them."""
    intids = getUtility(IIntIds)

    def unit(code):
        [brain] = api.content.find(portal_type="Unit", unit_code=code, unrestricted=True)
        return brain._unrestrictedGetObject()

    for data in clusters or []:
        organiser = unit(data["unit"])
        if data["id"] in organiser.objectIds():
            continue
        members = [unit(code) for code in data["members"]]
        cluster = api.content.create(
            container=organiser,
            type="Cluster",
            id=data["id"],
            safe_id=False,
            title=data["title"],
            description=data.get("description", ""),
            cluster_kind=data["cluster_kind"],
            code=data["code"],
            head_rotation=data.get("head_rotation"),
            member_units=[RelationValue(intids.getId(member)) for member in members],
            head_unit=RelationValue(intids.getId(unit(data["head"]))),
        )
        for key in data.get("addressed") or []:
            plan, _ = plans_by_key[key]
            plan.addressed_clusters = [
                *(plan.addressed_clusters or []),
                RelationValue(intids.getId(cluster)),
            ]
            notify(ObjectModifiedEvent(plan))


def _forms(portal, forms, plans_by_key):
    """The public forms: a folder at the root, an EasyForm for each item."""
    if not forms:
        return
    folder, created = _ensure(portal, "Folder", forms["folder"]["id"], forms["folder"])
    if created:
        _publish(folder)
    for data in forms["items"]:
        if data["id"] in folder.objectIds():
            continue
        actions = (FORMS / data["actions"]).read_text(encoding="utf-8")
        movement = None
        if data.get("nominate"):
            unit_code, plan_id, movement_id = data["nominate"].split("/")
            plan, _ = plans_by_key[f"{unit_code}/{plan_id}"]
            movement = plan[movement_id]
            actions = actions.replace("{movement}", movement.UID())
        form = api.content.create(
            container=folder,
            type="EasyForm",
            id=data["id"],
            title=data["title"],
            description=data["description"],
            fields_model=(FORMS / data["fields"]).read_text(encoding="utf-8"),
            actions_model=actions,
            submitLabel=data["submit"],
            thankstitle=data["thanks"],
        )
        if movement is not None:
            # The unit's officer owns its nomination form: the action creates
            # candidates only where the form's owner may (thidua.forms.action).
            officer = sorted(holders(unit_of(movement), ["UnitOfficer"]))[0]
            users = api.portal.get_tool("acl_users")
            form.changeOwnership(users.getUserById(officer).__of__(users))
            form.manage_setLocalRoles(officer, ["Owner"])
        _publish(form)


def _replication(portal, plans_by_key, data):
    """A dozen replication activities of each kind over the selected and
    honoured models and the units, and adoptions by units at several levels
    (world.yaml, ``replication``); a site that has some already keeps them. Each
    model's reach is computed once, at the end."""
    if not data:
        return
    catalog = api.portal.get_tool("portal_catalog")
    if catalog.unrestrictedSearchResults(portal_type=["Activity", "Adoption"]):
        return
    intids = getUtility(IIntIds)

    def relation(obj):
        return RelationValue(intids.getId(obj))

    def by_path(path):
        unit_code, plan_id, *rest = path.split("/")
        obj, _ = plans_by_key[f"{unit_code}/{plan_id}"]
        for name in rest:
            obj = obj[name]
        return obj

    units = {}
    for brain in catalog.unrestrictedSearchResults(portal_type="Unit"):
        units[brain.unit_code] = brain._unrestrictedGetObject()
    with deferred(catalog):
        _replicate(portal, data, units, by_path, relation)


def _replicate(portal, data, units, by_path, relation):
    models = [by_path(path) for path in data["models"]]
    order = [units[code] for code in data["units"]]
    contest_form = portal.unrestrictedTraverse(data["contest_form"], None)
    movements = [by_path(path) for path in data["learning_movements"]]
    number = 0
    for kind_number, (kind, spec) in enumerate(data["kinds"].items()):
        for i in range(data["count"]):
            number += 1
            model = models[(i + kind_number) % len(models)]
            unit = order[(i + 2 * kind_number) % len(order)]
            others = [order[(i + 2 * kind_number + step) % len(order)] for step in (1, 2)]
            day = date(2021 + (i + kind_number) % 5, (i * 5 + kind_number) % 12 + 1, 3 + i % 25)
            fields = {
                "title": spec["titles"][i % len(spec["titles"])].format(model=model.title),
                "activity_kind": kind,
                "activity_date": day,
                "models": [relation(model)],
                "participating_units": [relation(other) for other in others],
                "participants": spec.get("participants", [0])[
                    i % len(spec.get("participants", [0]))
                ]
                or None,
                "participants_note": spec.get("note"),
            }
            if spec.get("outlets"):
                outlet, site = spec["outlets"][i % len(spec["outlets"])]
                fields["outlet"] = outlet
                fields["link"] = f"{site}nhan-rong-dien-hinh-{number}.html"
            if kind == "writing_contest" and contest_form is not None:
                fields["contest_form"] = relation(contest_form)
            if kind == "learning_movement":
                fields["learning_movement"] = relation(movements[i % len(movements)])
            activity = api.content.create(
                container=unit, type="Activity", id=f"{kind.replace('_', '-')}-{i + 1}", **fields
            )
            if i % 5 != 4:  # every fifth stays internal
                # by the chain, without its guard: make start runs this as
                # Zope's system user, who holds none of the chain's roles
                force_state(activity, "published", COMMENT)
    for entry in data["adoptions"]:
        model = models[entry["model"]]
        for n, code in enumerate(entry["units"]):
            adoption = api.content.create(
                container=units[code],
                type="Adoption",
                id=f"ap-dung-{model.getId()}",
                title=f"{units[code].title} học tập, áp dụng mô hình {model.title}",
                adopted_model=relation(model),
                adoption_date=date(2023 + n % 3, 3 + 2 * n, 15),
                participants=25 + 10 * n,
                result=entry["result"],
            )
            force_state(adoption, "published", COMMENT)


def _publish(obj):
    if api.portal.get_tool("portal_workflow").getWorkflowsFor(obj):
        api.content.transition(obj=obj, to_state="published")


def _intro(portal):
    if INTRO_ID in portal.objectIds():
        return
    page = api.content.create(
        container=portal,
        type="Document",
        id=INTRO_ID,
        title="Giới thiệu trang thử nghiệm",
        text=RichTextValue(INTRO_TEXT, "text/html", "text/x-html-safe"),
        language="vi",
    )
    _publish(page)


INTRO_TEXT = """
<p>Đây là trang thử nghiệm của <strong>thidua</strong>, phần mềm quản lý công tác
xây dựng và nhân rộng điển hình tiên tiến của Hội đồng Thi đua - Khen thưởng.</p>
<p>Dữ liệu mẫu được dựng từ các kế hoạch thật: Kế hoạch số 1043/KH-UBND của UBND
tỉnh Gia Lai; Kế hoạch số 126/KH-UBND của UBND tỉnh Bà Rịa - Vũng Tàu với 24 phong
trào thi đua; kế hoạch của UBND phường Thắng Lợi; kế hoạch của Sở Xây dựng tỉnh
Quảng Bình; kế hoạch giới thiệu điển hình theo quý của huyện Côn Đảo. Các tập thể,
cá nhân, hộ gia đình được đề nghị đều là hư cấu.</p>
"""


def apply_demo(context):
    """Post handler of thidua:demo."""
    world = yaml.safe_load(WORLD.read_text(encoding="utf-8"))
    portal = api.portal.get()
    plans_by_key = {}
    with api.env.adopt_roles(["Manager"]):
        _build_units(portal, world["units"], plans_by_key)
        _link_plans(plans_by_key)
        _candidates(plans_by_key, world["candidates"])
        _users(world["users"])
        _ballots(plans_by_key, world["candidates"])
        _nurture(plans_by_key, world.get("nurture"))
        _clusters(plans_by_key, world.get("clusters"))
        _forms(portal, world.get("forms"), plans_by_key)
        _replication(portal, plans_by_key, world.get("replication"))
        _intro(portal)
