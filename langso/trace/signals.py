"""The scan pages show the producer, product, growing area, certificates and payment link
from the economy app; when one of those changes, the cached pages that show it are
dropped on commit, and every worker forgets the shared parts it read (the economy app
needs to know nothing about trace)."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from . import pages

INLINE_LIMIT = 500  # more pages than this: dropped by the worker, not in the request


def _drop_pages(**scope) -> None:
    def run():
        pages.forget_shared_parts()
        ids = pages.batch_ids_of(**scope, limit=INLINE_LIMIT + 1)
        if len(ids) <= INLINE_LIMIT:
            if ids:
                pages.forget_pages(ids)
            return
        from .tasks import forget_scan_pages_of

        forget_scan_pages_of.enqueue(**scope)

    transaction.on_commit(run)


def _producer_changed(sender, instance, **kwargs):
    _drop_pages(producer_id=instance.pk)


def _product_changed(sender, instance, **kwargs):
    _drop_pages(product_id=instance.pk)


def _area_changed(sender, instance, **kwargs):
    _drop_pages(growing_area_id=instance.pk)


def _producer_part_changed(sender, instance, **kwargs):
    _drop_pages(producer_id=instance.producer_id)


def connect() -> None:
    from langso.economy.models import BankAccount, Certificate, GrowingArea, Producer, Product

    for model, receiver in (
        (Producer, _producer_changed),
        (Product, _product_changed),
        (GrowingArea, _area_changed),
        (Certificate, _producer_part_changed),
        (BankAccount, _producer_part_changed),
    ):
        for signal in (post_save, post_delete):
            signal.connect(receiver, sender=model, dispatch_uid=f"trace-pages-{model.__name__}")
    connect_batches()


def _batch_saved(sender, instance, created, **kwargs):
    if not created:  # a new batch has no page yet
        transaction.on_commit(lambda: pages.forget_pages([instance.pk]))


def _batch_deleted(sender, instance, **kwargs):
    keys = pages.keys_of(instance)
    transaction.on_commit(lambda: pages.page_cache().delete_many(keys))


def connect_batches() -> None:
    from .models import Batch

    post_save.connect(_batch_saved, sender=Batch, dispatch_uid="trace-pages-batch")
    post_delete.connect(_batch_deleted, sender=Batch, dispatch_uid="trace-pages-batch")
