import io
from datetime import timedelta

from django.utils import timezone

from langso.people.models import User
from langso.trace import epcis
from langso.trace.demo import load_demo
from langso.trace.identifiers import batch_path
from langso.trace.models import Batch
from langso.trace.queries import FIGURE_DEFINITIONS, batch_documents, monitoring_figures


def test_the_demo_tells_tea_stories_from_planting_to_shipping(client, commune, province):
    User.objects.create_superuser("admin", "admin@example.vn", "pw")
    out = io.StringIO()
    load_demo(commune=commune, province=province, seed=2025, stdout=out)
    teas = Batch.objects.filter(product__name="Chè móc câu Vô Tranh")
    assert teas.count() == 3 and all(b.labelled for b in teas)
    tea = teas.order_by("lot").first()
    kinds = [e["bizStep"] for e in batch_documents(tea)]
    assert "shipping" in kinds and "packing" in kinds
    assert epcis.schema_errors(epcis.document(batch_documents(tea))) == []
    page = client.get(batch_path(tea)).content.decode()
    assert "Gieo trồng" in page and "Xuất hàng" in page and "lô nguyên liệu" in page
    assert "/01/" in out.getvalue()


def test_figures_count_batches_and_traceable_products(
    commune, other_commune, producer_user, batch, product, product_without_gtin
):
    from langso.trace.actions import mark_labelled

    mark_labelled(actor=producer_user, batch=batch)
    today = timezone.localdate()
    figures = monitoring_figures(
        unit_ids=[commune.pk, other_commune.pk],
        period_start=today - timedelta(days=30),
        period_end=today,
    )
    assert figures[commune.pk]["trace.batches"].numerator == 1
    rate = figures[commune.pk]["trace.products_traceable"]
    assert (rate.numerator, rate.denominator) == (1, 2)
    assert figures[other_commune.pk]["trace.batches"].numerator == 0
    assert set(FIGURE_DEFINITIONS) == {"trace.batches", "trace.products_traceable"}
    old = monitoring_figures(
        unit_ids=[commune.pk],
        period_start=today - timedelta(days=90),
        period_end=today - timedelta(days=60),
    )
    assert old[commune.pk]["trace.batches"].numerator == 0
