"""Mails to the next step's people: who gets them, in what language, with what.

Mails go out once the step is committed, so these tests run on the functional
layer (each test its own database) and commit after each step.
"""

from email import message_from_bytes
from email.header import decode_header
from email.header import make_header
from plone import api
from plone.app.testing import login
from plone.app.testing import logout
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from thidua.chains.guards import REASONS
from thidua.chains.status import force_state
from thidua.testing import mock_mailhost

import logging
import pytest
import requests
import socket
import transaction


@pytest.fixture
def portal(functional_portal):
    """Here, the functional layer's site (commits are thrown away after each test)."""
    return functional_portal


@pytest.fixture
def world(http_world):
    return http_world


@pytest.fixture
def mailhost(portal):
    return mock_mailhost(portal)


def sent(mailhost):
    """(recipient, subject, body) of each message, decoded."""
    result = []
    for raw in mailhost.messages:
        message = message_from_bytes(raw if isinstance(raw, bytes) else raw.encode())
        subject = str(make_header(decode_header(message["Subject"])))
        body = message.get_payload(decode=True).decode(message.get_content_charset())
        result.append((message["To"], subject, body))
    return sorted(result)


def to(mailhost):
    return sorted(recipient for recipient, _, _ in sent(mailhost))


def act(portal, user_id, obj, transition, comment=""):
    login(portal, user_id)
    api.portal.get_tool("portal_workflow").doActionFor(obj, transition, comment=comment)
    logout()
    transaction.commit()


def addresses(*user_ids):
    return sorted(f"{user_id}@example.vn" for user_id in user_ids)


# (transition, who takes it, roles told); the candidate walks the full chain.
CANDIDATE_STEPS = [
    ("submit", "UnitOfficer", ["CouncilSecretary"]),
    ("publish_notice", "CouncilSecretary", []),
    ("start_review", "CouncilSecretary", ["CouncilMember", "CouncilChair"]),
    ("select", "CouncilChair", ["CouncilSecretary", "UnitOfficer"]),
    ("honour", "CouncilChair", ["CouncilSecretary", "UnitOfficer"]),
]


def test_candidate_steps_tell_the_next_role(world, portal, mailhost, monkeypatch):
    # The notice period and the ballot are the guards' business (test_chains,
    # test_ballot); here the period has passed and the council has voted.
    monkeypatch.setitem(REASONS, "notice_period", lambda obj, **parameters: None)
    monkeypatch.setitem(REASONS, "ballot", lambda obj, **parameters: None)
    candidate = world.province_candidate
    for transition, role, told in CANDIDATE_STEPS:
        mailhost.reset()
        act(portal, world.users[("province", role)], candidate, transition, "Ý kiến")
        assert api.content.get_state(candidate) != "draft"
        expected = addresses(*(world.users[("province", r)] for r in told))
        assert to(mailhost) == expected, transition


@pytest.mark.parametrize("decision", ["reject", "return_for_revision"])
def test_decline_and_return_tell_the_officer(world, portal, mailhost, decision, monkeypatch):
    monkeypatch.setitem(REASONS, "ballot", lambda obj, **parameters: None)  # the council voted no
    candidate = world.ward_candidate  # the short chain: review straight from submitted
    officer = world.users[("ward", "UnitOfficer")]
    secretary = world.users[("ward", "CouncilSecretary")]
    act(portal, officer, candidate, "submit")
    act(portal, secretary, candidate, "start_review")
    mailhost.reset()
    actor = "CouncilChair" if decision == "reject" else "CouncilSecretary"
    act(portal, world.users[("ward", actor)], candidate, decision, "Chưa đủ thành tích")
    told = {"reject": [officer, secretary], "return_for_revision": [officer]}[decision]
    assert to(mailhost) == addresses(*told)


def test_the_message_is_vietnamese_and_has_no_personal_data(world, portal, mailhost):
    # The test site speaks English; `make start` creates the site in Vietnamese.
    api.portal.set_registry_record("plone.default_language", "vi")
    candidate = world.province_candidate
    act(portal, world.users[("province", "UnitOfficer")], candidate, "submit", "Đề nghị xét")
    [(recipient, subject, body)] = sent(mailhost)
    assert recipient == "province-councilsecretary@example.vn"
    assert "Gửi" in subject  # the transition's title, as the plone domain has it
    assert "Nguyễn Văn A" in subject
    assert candidate.absolute_url() in body
    assert "Đề nghị xét" in body
    assert "province-unitofficer" in body
    assert "Trạng thái mới" in body
    for private in ("0912345678", "001234567890"):
        assert private not in body and private not in subject


def test_nobody_outside_the_unit_and_not_the_actor(world, portal, mailhost):
    """A province secretary returning a plan tells the other secretaries of the
    province only: not themself, not the ward's, not a global Manager or secretary."""
    setRoles(portal, TEST_USER_ID, ["Manager"])
    api.user.create(email="second@example.vn", username="second-secretary", password="pw-12345")
    api.group.add_user(groupname="TINH-CouncilSecretary", username="second-secretary")
    api.user.create(
        email="boss@example.vn",
        username="boss",
        password="pw-12345",
        roles=["Manager", "CouncilSecretary"],
    )
    # A role given straight to a user on the unit counts as well as a group's.
    api.user.create(email="direct@example.vn", username="direct", password="pw-12345")
    world.province.manage_setLocalRoles("direct", ["CouncilSecretary"])
    plan = api.content.create(
        container=world.province,
        type="Plan",
        id="p2",
        title="Kế hoạch 2",
        period_start=2026,
        period_end=2030,
    )
    setRoles(portal, TEST_USER_ID, ["Member"])
    secretary = world.users[("province", "CouncilSecretary")]
    # A group inside the chairs' group holds their role too.
    api.group.create(groupname="deputies")
    api.user.create(email="deputy@example.vn", username="deputy", password="pw-12345")
    api.group.add_user(groupname="deputies", username="deputy")
    portal.portal_groups.addPrincipalToGroup("deputies", "TINH-CouncilChair")
    assert "CouncilChair" in api.user.get_roles(username="deputy", obj=world.province)
    act(portal, secretary, plan, "submit")
    assert to(mailhost) == ["deputy@example.vn", "province-councilchair@example.vn"]
    mailhost.reset()
    act(portal, secretary, plan, "return_for_revision", "Sửa lại")
    assert to(mailhost) == sorted(["direct@example.vn", "second@example.vn"])


def test_users_without_email_are_skipped(world, portal, mailhost):
    secretary = api.user.get(userid=world.users[("province", "CouncilSecretary")])
    secretary.setMemberProperties({"email": ""})
    act(portal, world.users[("province", "UnitOfficer")], world.province_candidate, "submit")
    assert to(mailhost) == []


def test_without_a_sender_nothing_is_sent_and_the_step_stands(world, portal, mailhost, caplog):
    api.portal.set_registry_record("plone.email_from_address", "")
    with caplog.at_level(logging.WARNING, logger="thidua.chains"):
        act(portal, world.users[("province", "UnitOfficer")], world.province_candidate, "submit")
    assert api.content.get_state(world.province_candidate) == "submitted"
    assert mailhost.messages == []
    assert "no sender address" in caplog.text


def test_an_unreachable_mail_server_does_not_undo_the_step(http_world, functional_portal, caplog):
    """The real MailHost, a sender, and nothing listening on its SMTP port:
    the submission over HTTP still succeeds and stays."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free_port = probe.getsockname()[1]
    functional_portal.MailHost.smtp_host = "127.0.0.1"
    functional_portal.MailHost.smtp_port = free_port
    api.portal.set_registry_record("plone.email_from_address", "thidua@localhost")
    transaction.commit()
    candidate = http_world.province_candidate
    officer = (http_world.users[("province", "UnitOfficer")], "secret-pw")
    with caplog.at_level(logging.ERROR):
        response = requests.post(
            f"{candidate.absolute_url()}/@workflow/submit",
            headers={"Accept": "application/json", "Content-Type": "application/json"},
            auth=officer,
            json={},
            timeout=30,
        )
    assert response.status_code == 200, response.text
    transaction.begin()
    assert api.content.get_state(candidate) == "submitted"
    assert "could not mail province-councilsecretary" in caplog.text


def test_an_introduction_tells_the_higher_council_secretary(world, portal, mailhost):
    from thidua.introduce import introduce

    candidate = world.ward_candidate
    setRoles(portal, TEST_USER_ID, ["Manager"])
    force_state(candidate, "selected")
    setRoles(portal, TEST_USER_ID, ["Member"])
    transaction.commit()
    mailhost.reset()
    login(portal, world.users[("ward", "CouncilSecretary")])
    introduce(candidate, api.content.get_uuid(world.province_movement))
    logout()
    transaction.commit()
    assert to(mailhost) == addresses(world.users[("province", "CouncilSecretary")])
    [(_, subject, body)] = sent(mailhost)
    assert "Introduce upward" in subject or "Giới thiệu lên cấp trên" in subject
    assert world.province_movement.absolute_url() in body


def test_undelivered_mails_of_a_step_are_one_log_line(caplog):
    """A mail server that is down fails every recipient of a step: one line
    names them all, not a line with a traceback each."""
    from Products.MailHost.MailHost import MailHost
    from thidua.chains.notify import _deliver

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free_port = probe.getsockname()[1]
    mailhost = MailHost("down", smtp_host="127.0.0.1", smtp_port=free_port)
    messages = [(f"user-{n}", f"user-{n}@example.org", "[Site] Submit", "Body\n") for n in range(3)]
    with caplog.at_level(logging.WARNING, logger="thidua.chains"):
        _deliver(True, mailhost, "site@example.org", "utf-8", messages)
    lines = [record for record in caplog.records if record.name == "thidua.chains"]
    assert len(lines) == 1
    assert "could not mail user-0, user-1, user-2 ([Site] Submit)" in lines[0].getMessage()


def queued(folder):
    """The recipients of the messages waiting in a maildir queue."""
    found = []
    for path in sorted((folder / "new").glob("*")) if (folder / "new").exists() else []:
        message = message_from_bytes(path.read_bytes())
        found.append(message["X-Zope-To"])
    return sorted(found)


def test_a_queued_mailhost_takes_the_mails_with_the_step(
    http_world, functional_portal, tmp_path, monkeypatch
):
    """With the MailHost's queue on (as `make start` sets it), a step's mails
    are written into the queue's maildir in the step's transaction, for the
    queue's thread to deliver: nothing is queued for a step rolled back."""
    monkeypatch.setenv("MAILHOST_QUEUE_ONLY", "1")  # no delivery thread in the test
    folder = tmp_path / "mailqueue"
    functional_portal.MailHost.smtp_queue = True
    functional_portal.MailHost.smtp_queue_directory = str(folder)
    api.portal.set_registry_record("plone.email_from_address", "thidua@localhost")
    transaction.commit()
    candidate = http_world.province_candidate
    officer = http_world.users[("province", "UnitOfficer")]

    login(functional_portal, officer)
    api.portal.get_tool("portal_workflow").doActionFor(candidate, "submit")
    logout()
    transaction.abort()
    assert queued(folder) == []

    act(functional_portal, officer, candidate, "submit")
    assert api.content.get_state(candidate) == "submitted"
    assert queued(folder) == addresses(http_world.users[("province", "CouncilSecretary")])
