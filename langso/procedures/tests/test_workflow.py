"""Every (from, to) pair of dossier states: the allowed ones succeed for a permitted role and
are refused for the others; every other pair is refused and changes nothing."""

import itertools
import uuid
from datetime import timedelta

import pytest

from langso.core.exceptions import PermissionDenied
from langso.procedures.actions import transition_dossier
from langso.procedures.exceptions import (
    CommentRequired,
    DossierNotFound,
    TransitionNotAllowed,
)
from langso.procedures.models import PORTAL_STATUS, Channel, Dossier, DossierEvent, State
from langso.procedures.workflow import APPLICANT, BY_PAIR, OFFICIAL, TRANSITIONS

from .conftest import local, pdf_file

ALL_PAIRS = list(itertools.product(State.values, State.values))
ALLOWED = [p for p in ALL_PAIRS if p in BY_PAIR]
REFUSED = [p for p in ALL_PAIRS if p not in BY_PAIR]


@pytest.fixture
def dossier_in(marital, resident_user):
    def make(state):
        submitted = local(2026, 3, 2, 9, 0)
        return Dossier.objects.create(
            commune=marital.commune,
            province_code="19",
            procedure=marital,
            receipt_code=f"05641-T-{uuid.uuid4().hex[:8]}",
            tracking_secret="ABCDEFGH",
            channel=Channel.ONLINE,
            state=state,
            applicant_user=resident_user,
            applicant_name="Nguyễn Văn An",
            submitted_at=submitted,
            due_at=submitted + timedelta(days=3),
            paused_at=local(2026, 3, 3, 9, 0) if state == State.SUPPLEMENT_REQUESTED else None,
        )

    return make


def _kwargs(source, target):
    kw = {"comment": "Lý do cụ thể", "now": local(2026, 3, 4, 9, 0)}
    if target == State.COMPLETED:
        kw["result_file"] = pdf_file("ket-qua.pdf")
    return kw


def test_the_transition_table_covers_every_state_and_maps_to_portal_codes():
    assert set(PORTAL_STATUS) == set(State)
    reachable = {t.target for t in TRANSITIONS} | {State.SUBMITTED}
    assert reachable == set(State.values)
    assert len(ALLOWED) == 21 and len(REFUSED) == 79


@pytest.mark.parametrize(("source", "target"), ALLOWED)
def test_an_allowed_transition_is_made_by_a_permitted_role_and_recorded(
    source, target, dossier_in, official, resident_user
):
    dossier = dossier_in(source)
    transition = BY_PAIR[(source, target)]
    actor = official if OFFICIAL in transition.actors else resident_user
    result = transition_dossier(
        actor=actor,
        dossier_id=dossier.public_id,
        to_state=target,
        version=1,
        **_kwargs(source, target),
    )
    dossier.refresh_from_db()
    assert (dossier.state, dossier.version, result.state) == (target, 2, target)
    event = DossierEvent.objects.get(dossier=dossier)
    assert (event.from_state, event.to_state, event.actor, event.comment) == (
        source,
        target,
        actor,
        "Lý do cụ thể",
    )
    assert event.at == local(2026, 3, 4, 9, 0)


@pytest.mark.parametrize(("source", "target"), ALLOWED)
def test_an_allowed_transition_is_refused_to_roles_that_may_not_make_it(
    source, target, dossier_in, official, resident_user, province_officer, other_official
):
    dossier = dossier_in(source)
    transition = BY_PAIR[(source, target)]
    refused = [province_officer]
    if APPLICANT not in transition.actors:
        refused.append(resident_user)
    for actor in refused:
        with pytest.raises(PermissionDenied):
            transition_dossier(
                actor=actor,
                dossier_id=dossier.public_id,
                to_state=target,
                version=1,
                **_kwargs(source, target),
            )
    with pytest.raises(DossierNotFound):  # another commune's official does not even see it
        transition_dossier(
            actor=other_official,
            dossier_id=dossier.public_id,
            to_state=target,
            version=1,
            **_kwargs(source, target),
        )
    dossier.refresh_from_db()
    assert (dossier.state, dossier.version) == (source, 1)
    assert not DossierEvent.objects.filter(dossier=dossier).exists()


@pytest.mark.parametrize(("source", "target"), REFUSED)
def test_a_transition_not_in_the_table_is_refused_and_changes_nothing(
    source, target, dossier_in, official, resident_user
):
    dossier = dossier_in(source)
    for actor in (official, resident_user):
        with pytest.raises(TransitionNotAllowed) as err:
            transition_dossier(
                actor=actor,
                dossier_id=dossier.public_id,
                to_state=target,
                version=1,
                **_kwargs(source, target),
            )
        assert err.value.code == "procedures.transition_not_allowed"
        assert "Không thể chuyển hồ sơ từ trạng thái" in err.value.message
    dossier.refresh_from_db()
    assert (dossier.state, dossier.version) == (source, 1)
    assert not DossierEvent.objects.filter(dossier=dossier).exists()


def test_rejecting_without_a_reason_is_refused(dossier_in, official):
    dossier = dossier_in(State.PROCESSING)
    with pytest.raises(CommentRequired) as err:
        transition_dossier(
            actor=official,
            dossier_id=dossier.public_id,
            to_state=State.REJECTED,
            version=1,
            comment="  ",
        )
    assert err.value.message == "Vui lòng ghi rõ lý do khi “Từ chối giải quyết”."
    dossier.refresh_from_db()
    assert dossier.state == State.PROCESSING
