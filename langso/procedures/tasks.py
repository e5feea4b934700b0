"""Background tasks (django-tasks): the periodic deadline check."""

from django_tasks import task

from .actions import flag_dossiers


@task()
def flag_dossiers_task() -> int:
    return flag_dossiers()
