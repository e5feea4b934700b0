import datetime as dt
from decimal import Decimal

from django.utils import timezone

from langso.core.figures import all_definitions, collect_figures
from langso.documents import actions, queries
from langso.documents.models import Document
from langso.documents.tests.factories import plain_pdf


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def test_figures_count_issued_and_signed_documents_per_commune_within_the_period(
    official, other_official, commune, other_commune
):
    made = [
        actions.upload_document(
            actor=official, commune=commune, title=f"VB {i}", data=plain_pdf(), sign=i < 3
        )
        for i in range(4)
    ]
    outside = actions.upload_document(actor=official, commune=commune, title="cũ", data=plain_pdf())
    elsewhere = actions.upload_document(
        actor=other_official, commune=other_commune, title="khác", data=plain_pdf(), sign=False
    )
    Document.objects.filter(pk__in=[d.pk for d in made]).update(
        created_at=_at(dt.date(2026, 3, 31), 23)
    )  # last evening of the period, local time
    Document.objects.filter(pk=outside.pk).update(created_at=_at(dt.date(2026, 4, 1), 0))
    Document.objects.filter(pk=elsewhere.pk).update(created_at=_at(dt.date(2026, 1, 1)))

    figures = queries.monitoring_figures(
        unit_ids=[commune.pk, other_commune.pk],
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 3, 31),
    )
    ours, theirs = figures[commune.pk], figures[other_commune.pk]
    assert ours["documents.issued"].numerator == 4
    assert ours["documents.issued"].denominator is None
    assert (ours["documents.signed_rate"].numerator, ours["documents.signed_rate"].denominator) == (
        3,
        4,
    )
    assert ours["documents.signed_rate"].percent == Decimal("75.00")
    assert theirs["documents.issued"].numerator == 1
    assert theirs["documents.signed_rate"].numerator == 0


def test_a_commune_without_documents_has_zero_issued_and_no_rate(commune):
    figures = queries.monitoring_figures(
        unit_ids=[commune.pk], period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 12, 31)
    )[commune.pk]
    assert figures["documents.issued"].numerator == 0
    assert figures["documents.signed_rate"].value is None


def test_the_figures_are_registered_with_monitoring(settings, signed_document, commune):
    # Only this app's provider: the others live on other branches until the merge.
    settings.LANGSO_FIGURE_PROVIDERS = ["langso.documents.queries"]
    assert {"documents.issued", "documents.signed_rate"} <= set(all_definitions())
    today = timezone.localdate()
    merged = collect_figures(unit_ids=[commune.pk], period_start=today, period_end=today)
    assert merged[commune.pk]["documents.issued"].numerator == 1


def test_the_register_query_makes_one_database_query_per_page(
    official, commune, django_assert_num_queries
):
    for i in range(3):
        actions.upload_document(
            actor=official, commune=commune, title=f"VB {i}", data=plain_pdf(), sign=False
        )
    official_fresh = type(official).objects.get(pk=official.pk)
    with django_assert_num_queries(2):  # the user's scope, then the documents
        rows = list(queries.list_documents(official_fresh))
        assert [r.commune.name for r in rows] == ["Xã Vô Tranh"] * 3
