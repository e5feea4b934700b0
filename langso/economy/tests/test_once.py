"""Demands, offers and OCOP applications are created once per submission token or
Idempotency-Key (see langso/core/idempotency.py)."""

import uuid

from django.urls import reverse

from langso.economy.models import Demand, OcopDossier, Offer


def _token() -> str:
    return str(uuid.uuid4())


def test_a_double_submitted_demand_is_posted_once(client, buyer, coop):
    client.force_login(buyer)
    assert 'name="submission_token"' in client.get(reverse("economy:demand_new")).content.decode()
    data = {
        "title": "Chè búp khô",
        "buyer_name": "Công ty A",
        "quantity": "100",
        "unit": "kg",
        "submission_token": _token(),
    }
    first = client.post(reverse("economy:demand_new"), data)
    second = client.post(reverse("economy:demand_new"), data)
    assert first.status_code == 302, first.content.decode()[-3000:]
    assert second.status_code == 302, second.content.decode()[-3000:]
    assert first["Location"] == second["Location"] and Demand.objects.count() == 1


def test_a_double_submitted_offer_is_sent_once(client, buyer, manager, coop):
    client.force_login(buyer)
    client.post(
        reverse("economy:demand_new"),
        {"title": "Chè", "buyer_name": "A", "quantity": "100", "unit": "kg"},
    )
    demand = Demand.objects.get()
    client.force_login(manager)
    page = client.get(reverse("economy:demand_detail", args=[demand.public_id])).content.decode()
    assert 'name="submission_token"' in page
    data = {"producer": str(coop.pk), "quantity": "40", "price": "300000"}
    data["submission_token"] = _token()
    for _ in range(2):
        client.post(reverse("economy:offer_new", args=[demand.public_id]), data)
    assert Offer.objects.filter(demand=demand).count() == 1


def test_a_double_submitted_ocop_application_is_filed_once(client, criteria, manager, tea):
    client.force_login(manager)
    url = reverse("economy:dossier_new", args=[tea.public_id])
    assert 'name="submission_token"' in client.get(url).content.decode()
    data = {"filed_on": "2025-09-01", "self-s_A1": "7", "submission_token": _token()}
    first = client.post(url, data)
    second = client.post(url, data, follow=True)
    assert first.status_code == 302 and second.status_code == 200
    assert "Đã nộp hồ sơ OCOP." in second.content.decode()
    assert OcopDossier.objects.filter(product=tea).count() == 1


def _api_twice(client, url, body, key):
    return [
        client.post(url, body, content_type="application/json", headers={"Idempotency-Key": key})
        for _ in range(2)
    ]


def test_the_demand_and_offer_api_create_once_per_key(client, buyer, manager, coop):
    client.force_login(buyer)
    key = _token()
    body = {"title": "Chè", "buyer_name": "A", "quantity": "10"}
    first, second = _api_twice(client, "/api/economy/demands", body, key)
    assert first.status_code == second.status_code == 201 and first.json() == second.json()
    assert Demand.objects.count() == 1
    changed = client.post(
        "/api/economy/demands",
        {**body, "quantity": "20"},
        content_type="application/json",
        headers={"Idempotency-Key": key},
    )
    assert changed.status_code == 422
    assert changed.json()["code"] == "core.idempotency_key_reused"
    client.force_login(manager)
    url = f"/api/economy/demands/{first.json()['id']}/offers"
    offer = {"producer": str(coop.public_id), "quantity": "5"}
    first, second = _api_twice(client, url, offer, _token())
    assert first.status_code == second.status_code == 201 and first.json() == second.json()
    assert Offer.objects.count() == 1
