"""Background tasks (django-tasks): the database worker in production (`langso db_worker`),
the immediate backend in tests."""

from django_tasks import task

from . import pages


@task()
def render_scan_pages(batch_ids: list[int]) -> int:
    """Render the scan pages of these batches into the page cache, ahead of their next scan."""
    return pages.render_pages(batch_ids)


@task()
def forget_scan_pages_of(
    *,
    producer_id: int | None = None,
    product_id: int | None = None,
    growing_area_id: int | None = None,
) -> int:
    """Something every page of a producer, product or growing area shows has changed."""
    return len(
        pages.forget_pages(
            pages.batch_ids_of(
                producer_id=producer_id, product_id=product_id, growing_area_id=growing_area_id
            )
        )
    )
