"""Background work: recompute a unit whose figures changed (see actions.values.mark_stale)."""

from django_tasks import task

from langso.places.models import AdminUnit


@task()
def recompute_unit(*, unit_id: int, year: int) -> int:
    from .actions.recompute import recompute_indicators
    from .actions.values import start_pending_recompute

    start_pending_recompute(unit_id=unit_id, year=year)
    unit = AdminUnit.objects.filter(pk=unit_id).first()
    if unit is None:
        return 0
    return recompute_indicators(units=[unit], year=year).values
