from decimal import Decimal

import pytest

from langso.economy.models import BankAccount

from .conftest import FILED_2025, full_scores
from .test_vietqr import NAPAS_EXAMPLE


@pytest.fixture
def account(coop):
    return BankAccount.objects.create(
        producer=coop, bank_bin="970403", account_number="0011012345678", account_name="HTX"
    )


def test_products_api_lists_the_communes_products(client, tea, far_product):
    data = client.get("/api/economy/products").json()
    assert [p["name"] for p in data] == ["Chè búp Tức Tranh"]
    assert data[0]["producer"]["name"] == "HTX Chè Tức Tranh"
    assert data[0]["url"].endswith(f"/economy/products/{tea.public_id}/")
    assert data[0]["price"] in ("120000", 120000, "120000.0")


@pytest.fixture
def many_products(coop, tea):
    """Thirty more products, several with the same name: the order must still be total."""
    from langso.economy.models import Product

    return [
        Product.objects.create(producer=coop, name=f"Chè {i % 7}", search_key=f"che {i % 7}")
        for i in range(30)
    ]


def _names_and_ids(response):
    return [(p["name"], p["id"]) for p in response.json()]


def test_products_api_gives_a_first_page_and_a_link_to_the_next(client, many_products):
    response = client.get("/api/economy/products", {"limit": 10})
    assert response.status_code == 200 and len(response.json()) == 10
    assert response["Link"] == '</api/economy/products?limit=10&offset=10>; rel="next"'


def test_products_api_pages_follow_each_other_in_one_order_without_gaps(client, many_products):
    everything = _names_and_ids(client.get("/api/economy/products", {"limit": 200}))
    assert len(everything) == 31 and "Link" not in client.get("/api/economy/products").headers
    paged, url = [], "/api/economy/products?limit=7&q=che"
    while url:
        response = client.get(url)
        paged += _names_and_ids(response)
        url = response.headers.get("Link", "").partition(">")[0].lstrip("<")
    assert paged == everything  # no product twice, none missed, same order as in one page
    assert [name for name, _ in paged][1:] == sorted(name for name, _ in paged[1:])


def test_products_api_keeps_the_order_of_products_with_the_same_name(client, many_products):
    same = [p for p in many_products if p.name == "Chè 3"]
    listed = [p["id"] for p in client.get("/api/economy/products", {"q": "che 3"}).json()]
    assert listed == [str(p.public_id) for p in sorted(same, key=lambda p: p.pk)]


def test_products_api_gives_50_by_default(client, coop):
    from langso.economy.models import Product

    Product.objects.bulk_create(
        Product(producer=coop, name=f"Sản phẩm {i:02d}", search_key=f"san pham {i:02d}")
        for i in range(51)
    )
    response = client.get("/api/economy/products")
    assert len(response.json()) == 50 and "offset=50" in response["Link"]


def test_products_api_never_gives_more_than_the_maximum(client, coop, monkeypatch):
    from langso.economy import api
    from langso.economy.models import Product

    monkeypatch.setattr(api, "PRODUCTS_PAGE_MAX", 5)  # the same rule as 200, fewer rows
    for i in range(8):
        Product.objects.create(producer=coop, name=f"Sản phẩm {i}", search_key=f"san pham {i}")
    assert len(client.get("/api/economy/products", {"limit": 1000}).json()) == 5
    assert len(client.get("/api/economy/products", {"limit": 0}).json()) == 1
    last = client.get("/api/economy/products", {"limit": 5, "offset": 5})
    assert len(last.json()) == 3 and "Link" not in last.headers


def test_products_api_paging_is_described_in_the_openapi_document(client):
    operation = client.get("/api/openapi.json").json()["paths"]["/api/economy/products"]["get"]
    params = {p["name"]: p for p in operation["parameters"]}
    assert params["limit"]["schema"]["default"] == 50
    assert "200" in params["limit"]["description"] and "offset" in params
    assert "Link" in operation["responses"]["200"]["headers"]


def test_product_api_detail_has_certificates_and_no_trace_yet(client, tea):
    data = client.get(f"/api/economy/products/{tea.public_id}").json()
    assert data["traceability_url"] is None and data["certificates"] == []


def test_create_product_needs_login_and_right(client, coop, manager, buyer):
    body = {"producer": str(coop.public_id), "name": "Chè mới", "gtin": "8934563138165"}
    assert (
        client.post("/api/economy/products", body, content_type="application/json").status_code
        == 401
    )
    client.force_login(buyer)
    response = client.post("/api/economy/products", body, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "economy.not_producer_manager"
    client.force_login(manager)
    response = client.post("/api/economy/products", body, content_type="application/json")
    assert response.status_code == 201 and response.json()["gtin"] == "08934563138165"


def test_bad_gtin_gives_422_with_code(client, manager, tea):
    client.force_login(manager)
    response = client.patch(
        f"/api/economy/products/{tea.public_id}", {"gtin": "123"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json() == {
        "code": "economy.invalid_gtin",
        "detail": "Mã GTIN phải có 8, 12, 13 hoặc 14 chữ số.",
    }


def test_null_for_a_field_that_cannot_be_empty_is_a_422_and_null_clears_a_nullable_one(
    client, manager, coop, tea
):
    client.force_login(manager)
    for url, body in [
        (f"/api/economy/producers/{coop.public_id}", {"description": None}),
        (f"/api/economy/products/{tea.public_id}", {"is_listed": None}),
    ]:
        response = client.patch(url, body, content_type="application/json")
        assert response.status_code == 422, url
        assert response.json()["code"] == "core.validation_failed"
    response = client.patch(
        f"/api/economy/products/{tea.public_id}", {"price": None}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["price"] is None


def test_vietqr_api_static_and_dynamic(client, coop, account):
    static = client.get(f"/api/economy/producers/{coop.public_id}/vietqr").json()
    assert static["dynamic"] is False
    dynamic = client.get(
        f"/api/economy/producers/{coop.public_id}/vietqr",
        {"amount": 180000, "purpose": "thanh toan don hang", "bill": "NPS6869"},
    ).json()
    assert dynamic["payload"] == NAPAS_EXAMPLE


def test_vietqr_api_without_account_is_404_with_code(client, coop):
    response = client.get(f"/api/economy/producers/{coop.public_id}/vietqr")
    assert response.status_code == 404 and response.json()["code"] == "economy.no_bank_account"


def test_vietqr_parse_api_rejects_bad_crc(client, db):
    ok = client.post(
        "/api/economy/vietqr/parse", {"payload": NAPAS_EXAMPLE}, content_type="application/json"
    )
    assert ok.status_code == 200 and ok.json()["account"] == "0011012345678"
    bad = client.post(
        "/api/economy/vietqr/parse",
        {"payload": NAPAS_EXAMPLE[:-1] + "F"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["code"] == "economy.vietqr_bad_crc"


def test_growing_areas_geojson_api(client, coop, commune):
    from langso.economy.models import GrowingArea

    GrowingArea.objects.create(
        name="A", commune=commune, province_code="19", crop="Chè", latitude=21.7, longitude=105.77
    )
    data = client.get("/api/economy/growing-areas.geojson", {"commune": "05641"}).json()
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 1


def test_demand_api_post_and_offer(client, buyer, manager, coop):
    client.force_login(buyer)
    response = client.post(
        "/api/economy/demands",
        {"title": "Chè", "buyer_name": "A", "quantity": "10"},
        content_type="application/json",
    )
    assert response.status_code == 201
    demand_id = response.json()["id"]
    response = client.post(
        f"/api/economy/demands/{demand_id}/offers",
        {"producer": str(coop.public_id), "quantity": "5"},
        content_type="application/json",
    )
    assert response.status_code == 403
    client.force_login(manager)
    response = client.post(
        f"/api/economy/demands/{demand_id}/offers",
        {"producer": str(coop.public_id), "quantity": "5"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert client.get("/api/economy/demands").json()[0]["offers"] == 1


def test_scores_api_for_evaluator_only(client, criteria, manager, tea, evaluator, official):
    from langso.economy import actions

    dossier = actions.file_dossier(actor=manager, product=tea, filed_on=FILED_2025)
    scores = full_scores(dossier.criteria_set, Decimal("89.5"))
    client.force_login(evaluator)
    response = client.post(
        f"/api/economy/ocop/dossiers/{dossier.public_id}/scores",
        {"scores": scores},
        content_type="application/json",
    )
    assert response.status_code == 409 and response.json()["code"] == "economy.dossier_state"
    client.force_login(manager)
    accept = f"/api/economy/ocop/dossiers/{dossier.public_id}/accept"
    assert client.post(accept).status_code == 403
    client.force_login(official)
    assert client.post(accept).json()["current_level"] == "province"
    client.force_login(manager)
    response = client.post(
        f"/api/economy/ocop/dossiers/{dossier.public_id}/scores",
        {"scores": scores},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["code"] == "economy.not_ocop_evaluator"
    client.force_login(evaluator)
    response = client.post(
        f"/api/economy/ocop/dossiers/{dossier.public_id}/scores",
        {"scores": scores},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["star"] == 4 and response.json()["total"] in ("89.5", "89.50", 89.5)
    assert [d["status"] for d in client.get("/api/economy/ocop/dossiers").json()] == ["submitted"]


def test_producer_api_create_is_for_commune_officials(client, official, other_official, manager):
    body = {"kind": "household_business", "name": "Hộ kinh doanh Chè Minh"}
    client.force_login(manager)
    response = client.post("/api/economy/producers", body, content_type="application/json")
    assert response.status_code == 403 and response.json()["code"] == "core.permission_denied"
    client.force_login(other_official)
    assert (
        client.post("/api/economy/producers", body, content_type="application/json").status_code
        == 403
    )
    client.force_login(official)
    response = client.post("/api/economy/producers", body, content_type="application/json")
    assert response.status_code == 201 and response.json()["commune_code"] == "05641"


def test_producer_api_patch_by_manager_only(client, manager, coop, other_coop):
    client.force_login(manager)
    ok = client.patch(
        f"/api/economy/producers/{coop.public_id}",
        {"phone": "0208 3888 999"},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["phone"] == "0208 3888 999"
    refused = client.patch(
        f"/api/economy/producers/{other_coop.public_id}",
        {"phone": "1"},
        content_type="application/json",
    )
    assert refused.status_code == 403
