import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_engage_opens_on_an_index_of_its_four_parts(client, commune):
    response = client.get("/engage/")
    assert response.status_code == 200
    body = response.content.decode()
    for name in ("announcements", "surveys", "feedback_public", "directory"):
        assert f'href="{reverse("engage:" + name)}"' in body
    assert "Tương tác với người dân" in body
    assert commune.name in body


def test_the_api_root_points_a_browser_at_its_documents(client):
    response = client.get("/api/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'href="/api/docs"' in body
    assert 'href="/api/openapi.json"' in body
