"""Mounted at the site root: the GS1 Digital Link paths belong to the resolver.

- /01/<GTIN>/10/<lot>[/21/<serial>]  (GTIN of 8/12/13/14 digits; lot/serial percent-encoded,
  so a lot containing "/" arrives decoded and is matched non-greedily up to "/21/");
- /t/<product public id>/10/<lot>[/21/<serial>]  for products without GTIN;
- /t/lo/...  the producer's batch pages, labels and EPCIS export.
"""

from django.urls import path, re_path

from . import views

app_name = "trace"

_LOT = r"10/(?P<lot>.+?)(?:/21/(?P<serial>[^/]+))?/?$"
# shared with the scan page front (front.py), which must answer exactly these paths
SCAN_GTIN_PATH = r"^01/(?P<gtin>\d{8,14})/(?:22/[^/]+/)?" + _LOT
SCAN_PUBLIC_PATH = (
    r"^t/(?P<pid>[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
    r"[0-9a-fA-F]{12})/" + _LOT
)

urlpatterns = [
    re_path(SCAN_GTIN_PATH, views.scan_gtin, name="scan"),
    re_path(SCAN_PUBLIC_PATH, views.scan_public_id, name="scan_public"),
    path("t/lo/", views.batch_list, name="batches"),
    path("t/lo/<uuid:public_id>/", views.batch_detail, name="batch_detail"),
    path("t/lo/<uuid:public_id>/tem.pdf", views.label_sheet, name="label_sheet"),
    path("t/lo/<uuid:public_id>/qr.svg", views.label_image, {"fmt": "svg"}, name="label_svg"),
    path("t/lo/<uuid:public_id>/qr.png", views.label_image, {"fmt": "png"}, name="label_png"),
    path("t/lo/<uuid:public_id>/epcis.jsonld", views.batch_epcis, name="batch_epcis"),
]
