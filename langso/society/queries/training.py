"""Reads for digital-skills training: the sessions of the official's commune, the officials
who may be marked present, and the residents an official may name on a residents' session.
Every page and the attendance sheet go through these doors."""

from django.db.models import Count, Q, QuerySet

from langso.core.text import fold
from langso.people.models import Resident, Role, User
from langso.people.permissions import scoped_unit_ids
from langso.people.queries import officials_of, residents_visible_to

from ..models import Attendance, Course, TrainingSession

#: the commune's own staff; the province follows training through criterion 7.4's figure
COMMUNE_STAFF = frozenset({Role.COMMUNE_LEADER, Role.COMMUNE_OFFICIAL, Role.HEALTH_WORKER})


def training_sessions_visible_to(user) -> QuerySet[TrainingSession]:
    """Sessions organised by the communes where `user` is on the staff (lists of named
    officials and residents stay in the commune)."""
    if not getattr(user, "is_authenticated", False):
        return TrainingSession.objects.none()
    qs = TrainingSession.objects.all()
    if not getattr(user, "is_superuser", False):
        qs = qs.filter(course__unit_id__in=scoped_unit_ids(user, COMMUNE_STAFF))
    return (
        qs.select_related("course", "course__unit")
        .annotate(
            n_officials=Count(
                "attendances", filter=Q(attendances__user__isnull=False), distinct=True
            ),
            n_residents=Count(
                "attendances", filter=Q(attendances__resident__isnull=False), distinct=True
            ),
        )
        .order_by("-held_on", "-pk")
    )


def commune_training_sessions(user, commune) -> QuerySet[TrainingSession]:
    return training_sessions_visible_to(user).filter(course__unit=commune)


def get_training_session_for(user, session_id: int) -> TrainingSession | None:
    return training_sessions_visible_to(user).filter(pk=session_id).first()


def courses_of(commune) -> QuerySet[Course]:
    return Course.objects.filter(unit=commune).order_by("title")


def officials_to_train(commune) -> QuerySet[User]:
    """The commune's officials counted by criterion 7.4 (leaders, civil servants, health
    staff), by name: the attendance checkboxes and the sheet's lookup."""
    return officials_of(commune).order_by("last_name", "first_name", "username")


def attendance_of(session: TrainingSession) -> QuerySet[Attendance]:
    return Attendance.objects.filter(session=session).select_related(
        "user", "resident", "resident__household"
    )


def search_commune_residents(user, commune, text: str, limit: int = 30) -> list[Resident]:
    """Residents of `commune` whose name or household code matches `text` (accents ignored)."""
    words = fold(text).split()
    if not words:
        return []
    qs = residents_visible_to(user).filter(commune=commune)
    for word in words:
        qs = qs.filter(Q(search_key__contains=word) | Q(household__code__contains=word))
    return list(qs.order_by("full_name", "pk")[:limit])


def sessions_with_attendance(user, commune) -> QuerySet[TrainingSession]:
    """The commune's sessions with their attendance counts, for the training page."""
    return commune_training_sessions(user, commune)
