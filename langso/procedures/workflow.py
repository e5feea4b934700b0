"""The dossier state machine: which transitions exist, who may make them, which need a
comment. Every write of a dossier's state goes through `actions.dossiers.transition_dossier`,
which refuses any pair not listed here."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import State

OFFICIAL = "official"  # a desk role (leader or official) of the dossier's commune
APPLICANT = "applicant"  # the account that submitted the dossier online


@dataclass(frozen=True)
class Transition:
    action: str
    label: str | Promise  # a lazy translation
    sources: frozenset[str]
    target: str
    actors: frozenset[str]
    comment_required: bool = False


_OPEN_BEFORE_SETTLEMENT = frozenset(
    {State.RECEIVED, State.PROCESSING, State.SUPPLEMENT_REQUESTED, State.SUPPLEMENTED}
)

TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        "receive",
        _("Tiếp nhận"),
        frozenset({State.SUBMITTED}),
        State.RECEIVED,
        frozenset({OFFICIAL}),
    ),
    Transition(
        "refuse",
        _("Không tiếp nhận"),
        frozenset({State.SUBMITTED}),
        State.NOT_RECEIVED,
        frozenset({OFFICIAL}),
        comment_required=True,
    ),
    Transition(
        "process",
        _("Chuyển xử lý"),
        frozenset({State.RECEIVED, State.SUPPLEMENTED}),
        State.PROCESSING,
        frozenset({OFFICIAL}),
    ),
    Transition(
        "request_supplement",
        _("Yêu cầu bổ sung"),
        frozenset({State.SUBMITTED, State.RECEIVED, State.PROCESSING, State.SUPPLEMENTED}),
        State.SUPPLEMENT_REQUESTED,
        frozenset({OFFICIAL}),
        comment_required=True,
    ),
    Transition(
        "supplement",
        _("Nộp bổ sung"),
        frozenset({State.SUPPLEMENT_REQUESTED}),
        State.SUPPLEMENTED,
        frozenset({OFFICIAL, APPLICANT}),
    ),
    Transition(
        "complete",
        _("Hoàn thành, có kết quả"),
        frozenset({State.PROCESSING, State.SUPPLEMENTED}),
        State.COMPLETED,
        frozenset({OFFICIAL}),
    ),
    Transition(
        "return_result",
        _("Trả kết quả"),
        frozenset({State.COMPLETED}),
        State.RETURNED,
        frozenset({OFFICIAL}),
    ),
    Transition(
        "reject",
        _("Từ chối giải quyết"),
        _OPEN_BEFORE_SETTLEMENT,
        State.REJECTED,
        frozenset({OFFICIAL}),
        comment_required=True,
    ),
    Transition(
        "withdraw",
        _("Rút hồ sơ"),
        frozenset({State.SUBMITTED}) | _OPEN_BEFORE_SETTLEMENT,
        State.WITHDRAWN,
        frozenset({OFFICIAL, APPLICANT}),
    ),
)

BY_ACTION = {t.action: t for t in TRANSITIONS}
BY_PAIR: dict[tuple[str, str], Transition] = {
    (source, t.target): t for t in TRANSITIONS for source in t.sources
}
assert len(BY_PAIR) == sum(len(t.sources) for t in TRANSITIONS), "one action per pair"


def transition_for(source: str, target: str) -> Transition | None:
    return BY_PAIR.get((source, target))


def available_from(source: str, actor_kinds: set[str]) -> list[Transition]:
    return [t for t in TRANSITIONS if source in t.sources and t.actors & actor_kinds]
