"""Sending one Delivery: claim it, call the gateway, record the outcome, schedule a retry.

Exactly once per person and channel, in three parts:
- A Delivery row is unique per (announcement, resident, channel), and a worker may call the
  gateway only after it moved the row from `queued` to `sending` with a conditional UPDATE
  (`... WHERE state = 'queued'`). Two workers running the same task, or the same task run
  twice, race on that UPDATE and exactly one wins.
- A worker killed after the claim leaves the row in `sending`; one killed after taking the
  task but before the claim (or a process that died between the commit and the enqueue)
  leaves it `queued` with no task behind it. `recover_stalled_deliveries` (run with the
  retries, by the `engage_retry_deliveries` command and the `release_due_retries` task)
  puts such rows back in the queue once they have not moved for
  LANGSO_ENGAGE_STALE_AFTER_SECONDS (default 10 minutes, far above a gateway's timeout).
- The message is sent again with the same `reference` (`langso-<delivery id>`), which the
  SMS and Zalo providers take as the client's request id and refuse to send twice; so a
  worker killed between the provider's "sent" and our "marked sent" causes no duplicate.
  E-mail has no such id: a crash in that window can send one e-mail twice.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from .channels import GatewayError, Message, get_gateway
from .models import Channel, Delivery, DeliveryState

#: seconds to wait before attempt 2, 3, 4, 5; after the 5th failed attempt the row fails
RETRY_DELAYS = (60, 300, 1800, 7200)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
UNSUBSCRIBE_SALT = "langso.engage.unsubscribe"


def unsubscribe_token(subscription_id: int) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(subscription_id))


def subscription_from_token(token: str) -> int | None:
    try:
        return int(signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None


def public_url(path: str) -> str:
    return settings.LANGSO_PUBLIC_URL.rstrip("/") + path


def build_message(delivery: Delivery) -> Message:
    announcement = delivery.announcement
    subscription = getattr(delivery.resident, "engage_subscription", None)
    unsubscribe = (
        public_url(reverse("engage:unsubscribe", args=[unsubscribe_token(subscription.pk)]))
        if subscription
        else ""
    )
    return Message(
        subject=f"[{announcement.commune.name}] {announcement.title}",
        text=announcement.body,
        url=public_url(reverse("engage:announcement_detail", args=[announcement.public_id])),
        unsubscribe_url=unsubscribe,
        reference=f"langso-{delivery.pk}",
    )


def claim(delivery_id: int) -> bool:
    """Move the row from queued to sending; True for exactly one caller."""
    return (
        Delivery.objects.filter(pk=delivery_id, state=DeliveryState.QUEUED).update(
            state=DeliveryState.SENDING, attempts=F("attempts") + 1, updated_at=timezone.now()
        )
        == 1
    )


def _still_wanted(delivery: Delivery) -> bool:
    subscription = getattr(delivery.resident, "engage_subscription", None)
    return bool(subscription and delivery.channel in subscription.channels())


def deliver(delivery_id: int) -> str:
    """Send one delivery if it is still queued. Returns the resulting state."""
    if not claim(delivery_id):
        return "skipped"
    delivery = Delivery.objects.select_related(
        "announcement__commune", "resident__engage_subscription"
    ).get(pk=delivery_id)
    now = timezone.now()
    if not _still_wanted(delivery):  # unsubscribed after the row was queued
        Delivery.objects.filter(pk=delivery_id, state=DeliveryState.SENDING).update(
            state=DeliveryState.CANCELLED, updated_at=now
        )
        return DeliveryState.CANCELLED
    gateway = get_gateway(delivery.channel)
    try:
        result = gateway.send(address=delivery.address, message=build_message(delivery))
    except Exception as exc:  # any gateway failure is recorded; GatewayError says if final
        permanent = isinstance(exc, GatewayError) and exc.permanent
        return _record_failure(delivery, str(exc) or type(exc).__name__, permanent, now)
    Delivery.objects.filter(pk=delivery_id, state=DeliveryState.SENDING).update(
        state=DeliveryState.SENT,
        sent_at=now,
        last_error="",
        next_attempt_at=None,
        provider_message_id=result.provider_message_id[:100],
        simulated=bool(getattr(gateway, "is_fake", False)),
        updated_at=now,
    )
    return DeliveryState.SENT


def _record_failure(delivery: Delivery, error: str, permanent: bool, now) -> str:
    if permanent or delivery.attempts >= MAX_ATTEMPTS:
        Delivery.objects.filter(pk=delivery.pk, state=DeliveryState.SENDING).update(
            state=DeliveryState.FAILED, last_error=error[:300], next_attempt_at=None, updated_at=now
        )
        return DeliveryState.FAILED
    next_at = now + timedelta(seconds=RETRY_DELAYS[delivery.attempts - 1])
    Delivery.objects.filter(pk=delivery.pk, state=DeliveryState.SENDING).update(
        state=DeliveryState.RETRYING,
        last_error=error[:300],
        next_attempt_at=next_at,
        updated_at=now,
    )
    schedule_retry(delivery.pk, next_at)
    return DeliveryState.RETRYING


def schedule_retry(delivery_id: int, run_after) -> None:
    """With a backend that can defer (the database backend), enqueue the retry for later.
    Otherwise `release_due_retries` (the `engage_retry_deliveries` command) picks it up."""
    from django_tasks import default_task_backend

    from .tasks import retry_delivery

    if default_task_backend.supports_defer:
        retry_delivery.using(run_after=run_after).enqueue(delivery_id)


def requeue(delivery_id: int, *, now=None) -> bool:
    """retrying -> queued once the back-off has passed (conditional, like the claim)."""
    now = now or timezone.now()
    return (
        Delivery.objects.filter(
            pk=delivery_id, state=DeliveryState.RETRYING, next_attempt_at__lte=now
        ).update(state=DeliveryState.QUEUED, updated_at=now)
        == 1
    )


def retry(delivery_id: int, *, now=None) -> str:
    if not requeue(delivery_id, now=now):
        return "skipped"
    return deliver(delivery_id)


def release_due_retries(*, now=None) -> int:
    """Enqueue every retry whose back-off has passed. Safe to run often and concurrently."""
    from .tasks import send_delivery

    now = now or timezone.now()
    ids = list(
        Delivery.objects.filter(state=DeliveryState.RETRYING, next_attempt_at__lte=now).values_list(
            "pk", flat=True
        )[:5000]
    )
    released = 0
    for delivery_id in ids:
        if requeue(delivery_id, now=now):
            send_delivery.enqueue(delivery_id)
            released += 1
    return released


def stale_after() -> timedelta:
    return timedelta(seconds=getattr(settings, "LANGSO_ENGAGE_STALE_AFTER_SECONDS", 600))


def _ids_with_live_tasks(cutoff) -> set[int] | None:
    """Deliveries that a task still waits for or a live worker runs (database task backend
    only; None elsewhere). A task RUNNING since before the cutoff belongs to a dead worker:
    django-tasks-db never moves it out of RUNNING."""
    from django.db.models import Q
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    from .tasks import retry_delivery, send_delivery

    if not isinstance(send_delivery.get_backend(), DatabaseBackend):
        return None

    rows = DBTaskResult.objects.filter(
        Q(status=TaskResultStatus.READY)
        | Q(status=TaskResultStatus.RUNNING, started_at__gte=cutoff),
        task_path__in=[send_delivery.module_path, retry_delivery.module_path],
    ).values_list("args_kwargs", flat=True)
    return {args["args"][0] for args in rows if args.get("args")}


def recover_stalled_deliveries(*, now=None) -> int:
    """Queue again the deliveries a dead worker left behind (see the module docstring):
    rows `sending` that have not moved since the cutoff, and rows `queued` since then with
    no live task behind them. Each row is moved with a conditional UPDATE, so concurrent
    runs recover it once."""
    from .tasks import send_delivery

    now = now or timezone.now()
    cutoff = now - stale_after()
    stalled = list(
        Delivery.objects.filter(
            state__in=[DeliveryState.SENDING, DeliveryState.QUEUED], updated_at__lt=cutoff
        ).values_list("pk", "state")[:5000]
    )
    live = _ids_with_live_tasks(cutoff) if stalled else set()
    recovered = 0
    for delivery_id, state in stalled:
        if state == DeliveryState.QUEUED and live is not None and delivery_id in live:
            continue  # its task is waiting in the queue: a long queue is not a dead worker
        if (
            Delivery.objects.filter(pk=delivery_id, state=state, updated_at__lt=cutoff).update(
                state=DeliveryState.QUEUED, updated_at=now
            )
            == 1
        ):
            send_delivery.enqueue(delivery_id)
            recovered += 1
    return recovered


def address_for(subscription, channel: str) -> str:
    return subscription.email if channel == Channel.EMAIL else subscription.phone
