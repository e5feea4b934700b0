"""Background tasks (django-tasks): the database backend in development and production
(`manage.py db_worker`), the immediate backend in tests."""

from django_tasks import task

from . import delivery


@task()
def send_delivery(delivery_id: int) -> str:
    return delivery.deliver(delivery_id)


@task()
def retry_delivery(delivery_id: int) -> str:
    return delivery.retry(delivery_id)


@task()
def release_due_retries() -> int:
    return delivery.release_due_retries() + delivery.recover_stalled_deliveries()
