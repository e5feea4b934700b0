"""Mounted at the site root: the GS1 Digital Link paths belong to the resolver.

- /01/<GTIN>/10/<lot>[/21/<serial>]  (GTIN of 8/12/13/14 digits; lot/serial percent-encoded,
  so a lot containing "/" arrives decoded and is matched non-greedily up to "/21/");
- /t/<product public id>/10/<lot>[/21/<serial>]  for products without GTIN;
- /<compressed Digital Link>: 307 to the uncompressed link (compression.py);
- /t/lo/...  the producer's batch pages, labels and EPCIS export.
"""

from django.urls import path, re_path, register_converter

from . import views
from .compression import decompress


class CompressedBatchConverter:
    """A path segment that is a compressed GS1 Digital Link with a GTIN and a lot; anything
    else is no match, so the other routes (and APPEND_SLASH) see the path as before."""

    regex = "[A-Za-z0-9_-]{8,}"

    def to_python(self, value: str) -> list[tuple[str, str]]:
        pairs = decompress(value)  # ValueError: not one
        keys = dict(pairs)
        if "10" not in keys or not _valid_gtin(keys.get("01", "")):
            raise ValueError("not a batch of ours")
        return pairs

    def to_url(self, value) -> str:
        raise ValueError("compressed links are read, not written")


def _valid_gtin(value: str) -> bool:
    from langso.core import gs1

    try:
        return gs1.normalize_gtin(value) == value
    except ValueError:
        return False


register_converter(CompressedBatchConverter, "gs1dl")

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
    path("<gs1dl:link>", views.scan_compressed, name="scan_compressed"),
    path("t/lo/", views.batch_list, name="batches"),
    path("t/lo/<uuid:public_id>/", views.batch_detail, name="batch_detail"),
    path("t/lo/<uuid:public_id>/tem.pdf", views.label_sheet, name="label_sheet"),
    path("t/lo/<uuid:public_id>/qr.svg", views.label_image, {"fmt": "svg"}, name="label_svg"),
    path("t/lo/<uuid:public_id>/qr.png", views.label_image, {"fmt": "png"}, name="label_png"),
    path("t/lo/<uuid:public_id>/epcis.jsonld", views.batch_epcis, name="batch_epcis"),
]
