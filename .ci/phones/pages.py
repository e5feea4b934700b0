"""Print the resident pages that .ci/phones.sh checks, as JSON [{"name", "path"}, ...].

What an anonymous visitor on a phone opens: the home page, the procedures and one of them,
dossier tracking, a scan page, the market and one product (with its photo and batches), the
map, announcements and an open survey. The demo's data picks the instances: the scan page
of a batch with a corrected event (its struck-out entry and badges are the page's least
contrasted text), the product with a photo.
"""

import json
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")
django.setup()

from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.urls import reverse  # noqa: E402

from langso.economy.queries import products_visible_to  # noqa: E402
from langso.engage.models import SurveyStatus  # noqa: E402
from langso.engage.queries import surveys_visible_to  # noqa: E402
from langso.procedures.queries import procedures_visible_to  # noqa: E402
from langso.trace.identifiers import batch_path  # noqa: E402
from langso.trace.models import Batch  # noqa: E402

anonymous = AnonymousUser()
procedure = procedures_visible_to(anonymous).order_by("pk").first()
# a product with a photo and a batch: its page shows both, the scan page is its latest batch
product = (
    products_visible_to(anonymous)
    .filter(photos__isnull=False, batches__isnull=False)
    .order_by("pk")
    .first()
)
batch = (
    Batch.objects.filter(events__error_declarations__isnull=False).order_by("pk").first()
    or Batch.objects.order_by("pk").first()
)
survey = surveys_visible_to(anonymous).filter(status=SurveyStatus.OPEN).order_by("pk").first()
if not (procedure and product and batch and survey):
    raise SystemExit("The demo lacks a procedure, a product with photo and batch or a survey.")

pages = [
    ("home", reverse("home")),
    ("procedures", reverse("procedures:catalogue")),
    ("procedure", reverse("procedures:procedure", args=[procedure.pk])),
    ("tracking", reverse("procedures:track")),
    ("scan", batch_path(batch)),
    ("market", reverse("economy:market")),
    ("product", reverse("economy:product_detail", args=[product.public_id])),
    ("map", reverse("society:map")),
    ("announcements", reverse("engage:announcements")),
    ("survey", reverse("engage:survey_answer", args=[survey.public_id])),
]
print(json.dumps([{"name": name, "path": path} for name, path in pages], indent=1))
