from django.db.models import Count, QuerySet

from langso.people.models import OFFICIAL_ROLES, Role
from langso.people.permissions import scoped_unit_ids, unit_scope_q

from ..models import DigitalTeam, HelpSession, TeamHousehold


def teams_visible_to(user) -> QuerySet[DigitalTeam]:
    """Officials see their communes' teams; a team member sees their own teams."""
    if not getattr(user, "is_authenticated", False):
        return DigitalTeam.objects.none()
    qs = DigitalTeam.objects.select_related("commune", "hamlet")
    scoped = qs.filter(unit_scope_q(user, "commune", OFFICIAL_ROLES))
    own = qs.filter(members__user=user)
    return (scoped | own).distinct().annotate(n_households=Count("households", distinct=True))


def teams_for_logging(user) -> QuerySet[DigitalTeam]:
    if not getattr(user, "is_authenticated", False):
        return DigitalTeam.objects.none()
    member = DigitalTeam.objects.filter(members__user=user)
    if scoped_unit_ids(user, {Role.COMMUNE_LEADER, Role.COMMUNE_OFFICIAL}):
        member = member | DigitalTeam.objects.filter(
            unit_scope_q(user, "commune", {Role.COMMUNE_LEADER, Role.COMMUNE_OFFICIAL})
        )
    return member.distinct().select_related("hamlet").order_by("name")


def sessions_visible_to(user) -> QuerySet[HelpSession]:
    return HelpSession.objects.filter(team__in=teams_visible_to(user).values("pk")).select_related(
        "team", "household", "helper"
    )


def household_codes_of_teams(teams, *, limit: int = 500) -> list[str]:
    """Codes of the households the `teams` look after, for the offline help log."""
    return list(
        TeamHousehold.objects.filter(team__in=teams)
        .order_by("household__code")
        .values_list("household__code", flat=True)[:limit]
    )


def teams_by_id(ids) -> dict[int, DigitalTeam]:
    """Teams by pk (the sync action checks who may log for each)."""
    return {t.pk: t for t in DigitalTeam.objects.filter(pk__in=ids).select_related("commune")}
