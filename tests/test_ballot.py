"""The council's secret ballot: rounds, quorum and threshold, recusal, paper
ballots, secrecy; in-process and through the WSGI server (``@votes``)."""

from plone import api
from plone.app.testing import login
from plone.app.testing import logout
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.app.testing import TEST_USER_NAME
from thidua import ballot
from thidua.delegation import group_id

import pytest
import requests
import transaction


JSON = {"Accept": "application/json", "Content-Type": "application/json"}
EXTRA_MEMBERS = ("member-2", "member-3", "member-4")


def execute(portal, candidate, *transitions, comment=""):
    """Move a candidate on as Manager, guards skipped (they are tested apart)."""
    setRoles(portal, TEST_USER_ID, ["Manager"])
    login(portal, TEST_USER_NAME)
    [workflow] = api.portal.get_tool("portal_workflow").getWorkflowsFor(candidate)
    for transition in transitions:
        workflow._executeTransition(
            candidate, workflow.transitions[transition], {"comment": comment}
        )
    candidate.reindexObject()
    setRoles(portal, TEST_USER_ID, ["Member"])


def grow_council(world):
    """Three more members: a council of five (chair, four members) in the province."""
    for user_id in EXTRA_MEMBERS:
        api.user.create(email=f"{user_id}@example.vn", username=user_id, password="secret-pw")
        api.group.add_user(groupname=group_id(world.province, "CouncilMember"), username=user_id)


@pytest.fixture
def under_review(world, portal):
    grow_council(world)
    candidate = world.province_candidate
    execute(portal, candidate, "submit", "publish_notice", "start_review")
    return candidate


def vote(portal, user_id, candidate, choice):
    login(portal, user_id)
    ballot.cast(candidate, user_id, choice)


def allowed(portal, user_id, candidate):
    login(portal, user_id)
    workflows = api.portal.get_tool("portal_workflow")
    return {t["id"] for t in workflows.getTransitionsFor(candidate)}


class TestCouncil:
    def test_members_and_chair_through_groups_and_no_one_else(self, world, under_review):
        grown = {world.users[("province", "CouncilMember")], *EXTRA_MEMBERS}
        assert ballot.council(under_review) == grown | {world.users[("province", "CouncilChair")]}

    def test_a_direct_local_role_counts_and_a_global_one_does_not(
        self, world, under_review, portal
    ):
        api.user.create(email="direct@example.vn", username="direct", password="secret-pw")
        api.user.create(email="global@example.vn", username="global", password="secret-pw")
        world.province.manage_setLocalRoles("direct", ["CouncilMember"])
        setRoles(portal, "global", ["Member", "CouncilMember"])
        members = ballot.council(under_review)
        assert "direct" in members
        assert "global" not in members

    def test_the_ward_council_is_its_own(self, world):
        assert ballot.council(world.ward_candidate) == {
            world.users[("ward", "CouncilMember")],
            world.users[("ward", "CouncilChair")],
        }


class TestRounds:
    def test_entering_review_opens_round_one(self, under_review):
        assert ballot.tally(under_review)["round"] == 1
        assert ballot.tally(under_review)["open"] is True

    def test_counts_quorum_and_threshold(self, world, under_review, portal):
        chair = world.users[("province", "CouncilChair")]
        vote(portal, chair, under_review, "yes")
        vote(portal, "member-2", under_review, "yes")
        result = ballot.tally(under_review)
        assert (result["council_size"], result["voted"], result["yes"]) == (5, 2, 2)
        assert not result["quorum_met"]  # 2 of 5 is less than 2/3
        vote(portal, "member-3", under_review, "no")
        vote(portal, "member-4", under_review, "abstain")
        result = ballot.tally(under_review)
        assert result["quorum_met"]  # 4 of 5
        assert not result["threshold_met"]  # 2 yes is not more than half of 5
        vote(portal, world.users[("province", "CouncilMember")], under_review, "yes")
        result = ballot.tally(under_review)
        assert (result["yes"], result["no"], result["abstain"]) == (3, 1, 1)
        assert result["threshold_met"]

    def test_a_second_vote_in_the_round_is_refused(self, world, under_review, portal):
        vote(portal, "member-2", under_review, "yes")
        with pytest.raises(ballot.BallotError) as refused:
            vote(portal, "member-2", under_review, "no")
        assert refused.value.status == 409
        assert ballot.tally(under_review)["voted"] == 1

    def test_outsiders_and_wrong_choices_are_refused(self, world, under_review, portal):
        for user_id in (
            world.users[("province", "CouncilSecretary")],
            world.users[("province", "UnitOfficer")],
            world.users[("ward", "CouncilMember")],
        ):
            with pytest.raises(ballot.BallotError) as refused:
                vote(portal, user_id, under_review, "yes")
            assert refused.value.status == 403
        with pytest.raises(ballot.BallotError) as refused:
            vote(portal, "member-2", under_review, "maybe")
        assert (refused.value.status, refused.value.field) == (400, "vote")

    def test_no_ballot_outside_review(self, world, portal):
        member = world.users[("province", "CouncilMember")]
        with pytest.raises(ballot.BallotError) as refused:
            vote(portal, member, world.province_candidate, "yes")
        assert (refused.value.status, refused.value.field) == (400, "state")

    def test_a_return_for_revision_starts_a_new_round(self, world, under_review, portal):
        vote(portal, "member-2", under_review, "yes")
        execute(portal, under_review, "return_for_revision", comment="Bổ sung hồ sơ")
        assert ballot.tally(under_review)["open"] is False
        execute(portal, under_review, "submit", "publish_notice", "start_review")
        result = ballot.tally(under_review)
        assert (result["round"], result["voted"]) == (2, 0)
        vote(portal, "member-2", under_review, "no")
        assert [r.number for r in ballot.rounds(under_review)] == [1, 2]
        assert dict(ballot.rounds(under_review)[0].counts) == {"yes": 1, "no": 0, "abstain": 0}


class TestRecusal:
    def test_a_recusal_leaves_the_member_out_of_the_base(self, world, under_review, portal):
        login(portal, "member-2")
        ballot.recuse(under_review, "member-2", "Người thân của ứng viên")
        result = ballot.tally(under_review)
        assert (result["base"], result["recused"]) == (4, 1)
        assert result["recusals"] == [{"member": "member-2", "reason": "Người thân của ứng viên"}]
        with pytest.raises(ballot.BallotError) as refused:
            vote(portal, "member-2", under_review, "yes")
        assert refused.value.status == 409

    def test_a_recusal_needs_a_reason(self, under_review, portal):
        login(portal, "member-3")
        with pytest.raises(ballot.BallotError) as refused:
            ballot.recuse(under_review, "member-3", "  ")
        assert (refused.value.status, refused.value.field) == (400, "reason")
        for not_text in (5, ["Vợ ứng viên"], {"text": "x"}):
            with pytest.raises(ballot.BallotError) as refused:
                ballot.recuse(under_review, "member-3", not_text)
            assert (refused.value.status, refused.value.field) == (400, "reason")


class TestGuards:
    """select and reject by the chair, guarded by the ballot (quorum 2/3, more than half)."""

    def test_select_needs_quorum_and_a_majority(self, world, under_review, portal):
        chair = world.users[("province", "CouncilChair")]
        assert allowed(portal, chair, under_review) & {"select", "reject"} == set()
        for member in (chair, "member-2", "member-3"):
            vote(portal, member, under_review, "yes")
        assert "select" not in allowed(portal, chair, under_review)  # 3 of 5: no quorum
        vote(portal, "member-4", under_review, "no")
        transitions = allowed(portal, chair, under_review)
        assert "select" in transitions
        assert "reject" not in transitions
        api.content.transition(obj=under_review, transition="select")
        assert api.content.get_state(under_review) == "selected"

    def test_reject_when_quorum_is_met_without_a_majority(self, world, under_review, portal):
        chair = world.users[("province", "CouncilChair")]
        for member, choice in ((chair, "yes"), ("member-2", "no"), ("member-3", "no")):
            vote(portal, member, under_review, choice)
        vote(portal, "member-4", under_review, "abstain")
        transitions = allowed(portal, chair, under_review)
        assert "reject" in transitions
        assert "select" not in transitions

    def test_recusals_lower_the_base(self, world, under_review, portal):
        chair = world.users[("province", "CouncilChair")]
        login(portal, "member-4")
        ballot.recuse(under_review, "member-4", "Xung đột lợi ích")
        login(portal, "member-3")
        ballot.recuse(under_review, "member-3", "Xung đột lợi ích")
        for member in (chair, "member-2"):
            vote(portal, member, under_review, "yes")
        # base 3: two took part (2 >= 2/3 of 3), two said yes (2 > 3/2)
        assert "select" in allowed(portal, chair, under_review)

    def test_only_the_chair_decides(self, world, under_review, portal):
        for member in (world.users[("province", "CouncilChair")], *EXTRA_MEMBERS):
            vote(portal, member, under_review, "yes")
        for role in ("CouncilMember", "CouncilSecretary", "UnitOfficer"):
            assert "select" not in allowed(portal, world.users[("province", role)], under_review)

    def test_the_chain_sets_quorum_and_threshold(self, world, under_review, portal):
        result = ballot.tally(under_review)
        assert (result["quorum"], result["threshold"]) == ("2/3", "1/2")


class TestPaperBallot:
    def test_the_secretary_records_a_tally_with_minutes(self, world, under_review, portal):
        secretary = world.users[("province", "CouncilSecretary")]
        login(portal, secretary)
        ballot.record_paper(under_review, secretary, {"yes": 4, "no": 1, "abstain": 0}, "12/BB-HĐ")
        result = ballot.tally(under_review)
        assert (result["yes"], result["voted"], result["paper"]["minutes"]) == (4, 5, "12/BB-HĐ")
        assert result["quorum_met"] and result["threshold_met"]
        assert "select" in allowed(portal, world.users[("province", "CouncilChair")], under_review)
        with pytest.raises(ballot.BallotError) as refused:
            vote(portal, "member-2", under_review, "yes")
        assert refused.value.status == 409

    @pytest.mark.parametrize(
        "counts,minutes,field",
        [
            ({"yes": 6}, "1/BB", "tally"),
            ({"yes": -1}, "1/BB", "tally"),
            ({"yes": "4"}, "1/BB", "tally"),
            ({"maybe": 1}, "1/BB", "tally"),
            ({"yes": 3}, "", "minutes"),
        ],
    )
    def test_bad_tallies_are_refused(self, world, under_review, portal, counts, minutes, field):
        secretary = world.users[("province", "CouncilSecretary")]
        with pytest.raises(ballot.BallotError) as refused:
            ballot.record_paper(under_review, secretary, counts, minutes)
        assert (refused.value.status, refused.value.field) == (400, field)
        assert ballot.current_round(under_review).paper is None

    def test_no_paper_ballot_over_electronic_votes(self, world, under_review, portal):
        vote(portal, "member-2", under_review, "yes")
        with pytest.raises(ballot.BallotError) as refused:
            ballot.record_paper(under_review, "x", {"yes": 3}, "1/BB")
        assert refused.value.status == 409


class TestSecrecy:
    def test_a_round_keeps_counts_and_participants_only(self, world, under_review, portal):
        vote(portal, "member-2", under_review, "no")
        vote(portal, "member-3", under_review, "yes")
        [only_round] = ballot.rounds(under_review)
        assert set(vars(only_round)) - {"_p_jar", "_p_oid"} <= {
            "number",
            "opened",
            "counts",
            "voters",
            "recusals",
            "paper",
        }
        assert list(only_round.voters) == ["member-2", "member-3"]  # sorted, not in order cast
        assert dict(only_round.counts) == {"yes": 1, "no": 1, "abstain": 0}

    def test_history_and_catalog_know_nothing_of_votes(self, world, under_review, portal):
        vote(portal, "member-2", under_review, "no")
        history = str(under_review.workflow_history)
        assert "member-2" not in history
        catalog = api.portal.get_tool("portal_catalog")
        [brain] = catalog.unrestrictedSearchResults(UID=api.content.get_uuid(under_review))
        metadata = {name: getattr(brain, name, None) for name in catalog.schema()}
        assert "member-2" not in str(metadata)
        indexed = catalog.getIndexDataForRID(brain.getRID())
        assert "member-2" not in str(indexed)


# Through the WSGI server


@pytest.fixture
def http_review(http_world, functional_portal):
    grow_council(http_world)
    candidate = http_world.province_candidate
    execute(functional_portal, candidate, "submit", "publish_notice", "start_review")
    logout()
    transaction.commit()
    return candidate


def post(candidate, user_id, body, language="vi"):
    return requests.post(
        f"{candidate.absolute_url()}/@votes",
        headers={**JSON, "Accept-Language": language},
        auth=(user_id, "secret-pw"),
        json=body,
        timeout=30,
    )


def get(candidate, auth):
    return requests.get(f"{candidate.absolute_url()}/@votes", headers=JSON, auth=auth, timeout=30)


class TestVotesEndpoint:
    def test_cast_then_conflict(self, http_world, http_review):
        first = post(http_review, "member-2", {"vote": "yes"})
        assert first.status_code == 201, first.text
        assert first.json()["voted"] == 1
        again = post(http_review, "member-2", {"vote": "no"})
        assert again.status_code == 409
        assert again.json()["error"]["type"] == "Conflict"
        assert "traceback" not in again.text

    def test_outsider_is_forbidden(self, http_world, http_review):
        for user_id in (
            http_world.users[("province", "CouncilSecretary")],
            http_world.users[("ward", "CouncilMember")],
        ):
            response = post(http_review, user_id, {"vote": "yes"})
            assert response.status_code in (401, 403), (user_id, response.text)
        assert post(http_review, "member-2", {"vote": "yes"}).status_code == 201

    def test_anonymous_is_unauthorised(self, http_review):
        response = requests.post(
            f"{http_review.absolute_url()}/@votes", headers=JSON, json={"vote": "yes"}, timeout=30
        )
        assert response.status_code == 401

    def test_not_under_review_is_a_bad_request_naming_the_state(
        self, http_world, functional_portal
    ):
        member = http_world.users[("ward", "CouncilMember")]
        candidate = http_world.ward_candidate
        execute(functional_portal, candidate, "submit")
        logout()
        transaction.commit()
        response = post(candidate, member, {"vote": "yes"})
        assert response.status_code == 400, response.text
        assert response.json()["error"]["field"] == "state"

    def test_bad_bodies_name_the_field_in_the_request_language(self, http_review):
        english = post(http_review, "member-2", {"vote": "maybe"}, language="en")
        assert english.status_code == 400
        assert english.json()["error"] == {
            "type": "BadRequest",
            "message": "A vote is one of: yes, no, abstain.",
            "field": "vote",
        }
        vietnamese = post(http_review, "member-2", {"vote": "maybe"}, language="vi")
        assert vietnamese.json()["error"]["message"] == (
            "Phiếu bầu là một trong: yes (đồng ý), no (không đồng ý), abstain (không biểu quyết)."
        )
        recusal = post(http_review, "member-2", {"recuse": True}, language="en")
        assert (recusal.status_code, recusal.json()["error"]["field"]) == (400, "reason")
        not_json = requests.post(
            f"{http_review.absolute_url()}/@votes",
            headers=JSON,
            auth=("member-2", "secret-pw"),
            data="[1, 2",
            timeout=30,
        )
        assert not_json.status_code == 400

    def test_recuse_and_tally_for_the_council(self, http_world, http_review):
        assert (
            post(http_review, "member-3", {"recuse": True, "reason": "Vợ ứng viên"}).status_code
            == 201
        )
        assert post(http_review, "member-2", {"vote": "no"}).status_code == 201
        chair = (http_world.users[("province", "CouncilChair")], "secret-pw")
        answer = get(http_review, chair)
        assert answer.status_code == 200
        body = answer.json()
        for key in ("round", "council_size", "yes", "no", "abstain", "recused", "voted"):
            assert key in body
        assert (body["council_size"], body["no"], body["recused"], body["voted"]) == (5, 1, 1, 1)
        assert body["you"] == {"member": True, "voted": False, "recused": False}
        assert "member-2" not in answer.text  # who voted is nowhere, only who recused
        assert "member-3" in answer.text

    def test_the_secretary_sees_the_tally_and_records_paper(self, http_world, http_review):
        secretary = http_world.users[("province", "CouncilSecretary")]
        assert get(http_review, (secretary, "secret-pw")).status_code == 200
        recorded = post(
            http_review, secretary, {"tally": {"yes": 4, "no": 1, "abstain": 0}, "minutes": "7/BB"}
        )
        assert recorded.status_code == 201, recorded.text
        assert recorded.json()["paper"]["minutes"] == "7/BB"

    def test_a_member_may_not_record_paper(self, http_review):
        response = post(http_review, "member-2", {"tally": {"yes": 5}, "minutes": "7/BB"})
        assert response.status_code == 403

    def test_the_unit_officer_and_anonymous_see_no_tally(self, http_world, http_review):
        officer = (http_world.users[("province", "UnitOfficer")], "secret-pw")
        assert get(http_review, officer).status_code in (401, 403)
        assert get(http_review, None).status_code == 401

    def test_the_vote_transaction_names_no_voter(self, http_world, http_review):
        """The publisher writes user and path into the transaction before the
        service runs (ZPublisher.utils.recordMetaData); the ballot blanks them, so
        the Undo log and @transactions cannot say who voted when."""
        current = transaction.get()
        current.setUser("member-2", "/plone/acl_users")
        current.note(f"{http_review.absolute_url_path()}/@votes")
        ballot.cast(http_review, "member-2", "yes")
        assert (current.user, current.description) == ("", "thidua: ballot")
        transaction.abort()


def test_expand_votes_for_the_council_only(http_world, http_review):
    assert post(http_review, "member-2", {"vote": "yes"}).status_code == 201
    chair = (http_world.users[("province", "CouncilChair")], "secret-pw")
    officer = (http_world.users[("province", "UnitOfficer")], "secret-pw")
    url = http_review.absolute_url()
    expanded = requests.get(url, headers=JSON, auth=chair, params={"expand": "votes"}, timeout=30)
    assert expanded.json()["@components"]["votes"]["voted"] == 1
    hidden = requests.get(url, headers=JSON, auth=officer, params={"expand": "votes"}, timeout=30)
    assert hidden.json()["@components"]["votes"] == {"@id": f"{url}/@votes"}


def test_admin_sees_the_tally_but_is_not_on_the_council(http_world, http_review):
    from plone.app.testing import SITE_OWNER_NAME
    from plone.app.testing import SITE_OWNER_PASSWORD

    admin = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
    assert get(http_review, admin).json()["you"]["member"] is False
    response = requests.post(
        f"{http_review.absolute_url()}/@votes",
        headers=JSON,
        auth=admin,
        json={"vote": "yes"},
        timeout=30,
    )
    assert response.status_code == 403
