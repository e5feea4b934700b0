"""Background work: recompute a unit whose figures changed (see actions.values.mark_stale)."""

from django_tasks import task


@task()
def recompute_unit(*, unit_id: int, year: int) -> int:
    from .actions.values import recompute_queued_unit

    return recompute_queued_unit(unit_id=unit_id, year=year)
