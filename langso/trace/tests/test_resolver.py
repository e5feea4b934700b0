"""The scan route as a GS1-conformant resolver: linksets (RFC 9264), link types, compressed
Digital Links, and printed codes that GS1's own validator (npm digital-link.js) accepts."""

import io
import json
import re

import jsonschema
import pytest
import segno
from PIL import Image

from langso.trace import labels
from langso.trace.actions import create_api_key
from langso.trace.compression import compress, decompress
from langso.trace.identifiers import batch_path, batch_qr_uri, public_base

from .conformance import node_tool

GS1 = "https://gs1.org/voc/"

#: RFC 9264 §4.2 JSON linkset, with the GS1-Conformant Resolver's rules on anchor and targets
LINKSET_SCHEMA = {
    "type": "object",
    "required": ["linkset"],
    "properties": {
        "linkset": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["anchor"],
                "properties": {
                    "anchor": {"type": "string", "pattern": r"^https?://[a-zA-Z0-9./]+"},
                    "description": {"type": "string"},
                },
                "patternProperties": {
                    r"^https?://": {
                        "type": "array",
                        "minItems": 1,
                        "items": {
                            "type": "object",
                            "required": ["href"],
                            "properties": {
                                "href": {"type": "string", "pattern": r"^https?://"},
                                "title": {"type": "string"},
                                "type": {"type": "string"},
                                "hreflang": {"type": "array", "items": {"type": "string"}},
                            },
                        },
                    }
                },
                "additionalProperties": False,
            },
        }
    },
}


@pytest.fixture
def paying_story(story, producer):
    from langso.economy.models import BankAccount

    BankAccount.objects.create(
        producer=producer,
        bank_bin="970403",
        account_number="0011012345678",
        account_name="HTX CHE VO TRANH",
        is_default=True,
    )
    return story


def _linkset(client, path, **extra):
    response = client.get(path, **extra)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/linkset+json"
    body = response.json()
    jsonschema.validate(body, LINKSET_SCHEMA)
    return response, body["linkset"][0]


@pytest.mark.parametrize(
    "query,extra",
    [
        ("?linkType=linkset", {}),
        ("?linkType=all", {}),
        ("", {"HTTP_ACCEPT": "application/linkset+json"}),
    ],
)
def test_a_batch_answers_its_linkset_to_a_resolver_client(
    client, fresh_trace_caches, paying_story, query, extra
):
    path = batch_path(paying_story)
    response, entry = _linkset(client, path + query, **extra)
    assert entry["anchor"] == public_base() + path
    page = public_base() + path
    assert entry[GS1 + "defaultLink"][0]["href"] == page
    assert entry[GS1 + "traceability"][0]["href"] == page
    assert entry[GS1 + "pip"][0]["href"]
    epcis_link = entry[GS1 + "epcis"][0]
    assert epcis_link["type"] == "application/ld+json"
    assert "/api/trace/events?MATCH_epcClass=https%3A%2F%2Fid.gs1.org%2F01%2F" in epcis_link["href"]
    [certificate] = entry[GS1 + "certificationInfo"]
    assert "VG-19-0042" in certificate["title"] and certificate["href"] == page + "#chung-nhan"
    assert "/vietqr/" in entry[GS1 + "paymentLink"][0]["href"]
    assert "Accept" in response["Vary"]
    assert 'rel="linkset"' in response["Link"]


def test_the_epcis_link_type_redirects_to_the_lots_events(
    client, paying_story, producer, producer_user
):
    path = batch_path(paying_story)
    response = client.get(path + "?linkType=gs1:epcis")
    assert response.status_code == 307
    target = response["Location"]
    assert target.startswith(public_base() + "/api/trace/events?MATCH_epcClass=")
    secret = create_api_key(actor=producer_user, producer=producer, name="k")[1]
    events = client.get(target.removeprefix(public_base()), HTTP_AUTHORIZATION=f"Bearer {secret}")
    listed = events.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    assert len(listed) == paying_story.events.count()
    # the full IRI names the same link type
    again = client.get(path + "?linkType=https%3A%2F%2Fgs1.org%2Fvoc%2Fepcis")
    assert again["Location"] == target


def test_a_link_type_the_batch_lacks_redirects_to_the_default_link(client, story):
    path = batch_path(story)
    response = client.get(path + "?linkType=gs1:allergenInfo")
    assert (response.status_code, response["Location"]) == (307, public_base() + path)
    assert client.get(path + "?linkType=gs1:paymentLink")["Location"] == public_base() + path


def test_an_unknown_batch_has_no_linkset(client, story):
    missing = batch_path(story).replace("VT2026-01", "KHONG-CO")
    assert client.get(missing + "?linkType=linkset").status_code == 404


def test_the_scan_page_points_to_its_linkset_and_makes_no_more_queries(
    client, fresh_trace_caches, story, django_assert_max_num_queries
):
    path = batch_path(story)
    client.get(path)  # rendered and cached
    with django_assert_max_num_queries(2):
        response = client.get(path)
    assert response.status_code == 200
    assert response["Link"] == (
        f'<{path}?linkType=linkset>; rel="linkset"; type="application/linkset+json"'
    )
    assert response["Vary"].startswith("Accept, Accept-Encoding")


# --- compressed Digital Links ----------------------------------------------------------------

#: (compressed segment, its element strings) written by GS1's compression prototype (as
#: digital-link.js 1.4.3 embeds it), with and without its optimisation codes
VECTORS = [
    ("CxBCUJzAHNJgW3Oun2mo", [("01", "08938503168014"), ("10", "MC2510-01")]),
    ("ARBCUJzAHCDSYFtzrp9pq", [("01", "08938503168014"), ("10", "MC2510-01")]),
    ("CxBCUJzAHIdXhCBj2", [("01", "08938503168014"), ("10", "ABC"), ("21", "123")]),
    ("ARBCUJzAHCCHV4QgY9g", [("01", "08938503168014"), ("10", "ABC"), ("21", "123")]),
    ("CxFIS5A3JwcxexFz_G8", [("01", "09501101530003"), ("10", "L/1"), ("17", "261231")]),
    ("ARFIS5A3JiEHMXsRc_xv", [("01", "09501101530003"), ("10", "L/1"), ("17", "261231")]),
    (
        "GhFIS5A3JswAP2u25_jex45ZkSEVGIGABeg",
        [
            ("01", "09501101530003"),
            ("10", "AB-123"),
            ("17", "261231"),
            ("21", "xyz"),
            ("22", "2A"),
            ("3103", "000189"),
        ],
    ),
    (
        "ARFIS5A3JiDMAD9rtuLn-N5Cx45ZkSEVGIGABeg",
        [
            ("01", "09501101530003"),
            ("10", "AB-123"),
            ("17", "261231"),
            ("21", "xyz"),
            ("22", "2A"),
            ("3103", "000189"),
        ],
    ),
    ("CxFIS5A3JoVD4N-ihg22qw", [("01", "09501101530003"), ("10", "A1"), ("foo", "bar")]),
    ("DBHKVAdpQgqrCg", [("01", "09780345418913"), ("21", "43786")]),  # digital-link.js docs
]


@pytest.mark.parametrize("segment,pairs", VECTORS)
def test_gs1_compressed_links_decompress_to_their_element_strings(segment, pairs):
    assert sorted(decompress(segment)) == sorted(pairs)


@pytest.mark.parametrize("segment,pairs", [v for v in VECTORS if v[0].startswith("AR")])
def test_compressing_writes_what_gs1s_prototype_writes(segment, pairs):
    assert compress(pairs) == segment
    assert decompress(compress(pairs)) == sorted(pairs)


@pytest.mark.parametrize("word", ["engage", "administration", "AAAAAAAAAAAA", "0" * 30])
def test_ordinary_path_segments_are_not_taken_for_compressed_links(client, word):
    response = client.get(f"/{word}")
    assert response.status_code != 307


def test_a_compressed_link_redirects_to_the_uncompressed_one(client, fresh_trace_caches, story):
    segment = compress([("01", story.gtin), ("10", story.lot), ("21", "A7"), ("17", "271231")])
    response = client.get(f"/{segment}?tinh=19")
    assert response.status_code == 307
    assert response["Location"] == batch_path(story, serial="A7") + "?17=271231&tinh=19"
    page = client.get(response["Location"])
    assert page.status_code == 200 and "A7" in page.content.decode()


# --- printed codes -----------------------------------------------------------------------------


def _quiet_zone_of(png: bytes, scale: int) -> int:
    """Light modules between the image edge and the first dark module, on every side."""
    image = Image.open(io.BytesIO(png)).convert("L")
    width, height = image.size
    dark = [
        (x, y)
        for y in range(0, height, scale)
        for x in range(0, width, scale)
        if image.getpixel((x, y)) < 128
    ]
    xs, ys = [x for x, _ in dark], [y for _, y in dark]
    margins = (min(xs), min(ys), width - scale - max(xs), height - scale - max(ys))
    return min(margins) // scale


def test_labels_keep_a_four_module_quiet_zone_and_decode_to_the_printed_uri(batch):
    import zxingcpp

    uri = batch_qr_uri(batch, "0042")
    png = labels.qr_png(uri, scale=8)
    assert _quiet_zone_of(png, 8) == 4
    [decoded] = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert decoded.text == uri
    svg = labels.qr_svg(uri, scale=4).decode()
    modules = segno.make(uri, error="m", micro=False).symbol_size(scale=1, border=0)[0]
    assert f'width="{(modules + 8) * 4}"' in svg


def _sheet_uris(pdf: bytes) -> list[str]:
    from pypdf import PdfReader

    uris = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action and action.get("/URI"):
                uris.append(str(action["/URI"]))
    return uris


def test_the_label_sheet_links_each_code_to_the_uri_it_prints(batch):
    pdf = labels.label_sheet_pdf(batch, count=3, serial_from=7)
    assert _sheet_uris(pdf) == [batch_qr_uri(batch, str(n)) for n in (7, 8, 9)]


def _printed_uris(client, batch, demo_output: str) -> list[str]:
    import zxingcpp

    uris = [batch_qr_uri(batch)]
    png = labels.qr_png(batch_qr_uri(batch, "12"))
    uris += [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]
    uris += _sheet_uris(labels.label_sheet_pdf(batch, count=2, serial_from=1))
    page = client.get(batch_path(batch)).content.decode()
    uris += re.findall(r"https?://[^\s<\"]+/01/[^\s<\"]+", page)
    uris += re.findall(r"https?://\S+/01/\S+", demo_output)
    linkset = client.get(batch_path(batch) + "?linkType=linkset").json()["linkset"][0]
    uris.append(linkset["anchor"])
    return uris


def test_every_printed_uri_passes_gs1s_digital_link_validator(
    client, fresh_trace_caches, story, commune, province
):
    from langso.people.models import User
    from langso.trace.demo import load_demo

    User.objects.create_superuser("admin", "admin@example.vn", "pw")
    out = io.StringIO()
    load_demo(commune=commune, province=province, seed=2025, stdout=out)
    uris = _printed_uris(client, story, out.getvalue())
    assert len(uris) >= 8
    answer = node_tool("digital-link-check.js", {"validate": uris})
    invalid = [r for r in answer["validate"] if not r["valid"]]
    assert invalid == []


def test_gs1s_prototype_and_ours_read_each_others_compressed_links(story):
    uris = [
        f"{public_base()}{batch_path(story)}",
        f"{public_base()}{batch_path(story, serial='A-0042')}",
        f"{public_base()}/01/09501101530003/10/L%2F1/21/x9?17=261231",
        f"{public_base()}/01/09501101530003/22/2A/10/AB-123?3103=000189",
    ]
    answer = node_tool("digital-link-check.js", {"compress": uris})
    for row in answer["compress"]:
        for form in (row["optimised"], row["plain"]):
            segment = form.removeprefix(public_base() + "/").split("?")[0]
            path_and_query = row["uri"].removeprefix(public_base())
            values = dict(decompress(segment))
            assert f"/01/{values['01']}/" in path_and_query
            assert all(v.replace("/", "%2F") in path_and_query for v in values.values())
        plain = row["plain"].removeprefix(public_base() + "/").split("?")[0]
        assert compress(decompress(plain)) == plain


def test_a_product_without_gtin_keeps_its_own_link_which_is_not_a_gs1_key(
    producer_user, product_without_gtin
):
    from decimal import Decimal

    from langso.trace.actions import create_batch

    plain = create_batch(
        actor=producer_user, product=product_without_gtin, lot="KHO-01", quantity=Decimal("5")
    )
    assert batch_path(plain).startswith(f"/t/{product_without_gtin.public_id}/10/")
    assert json.dumps(batch_qr_uri(plain)).count("/01/") == 0
