from django.urls import reverse


def test_officials_see_their_communes_documents_in_the_admin(client, official, signed_document):
    client.force_login(official)
    response = client.get(reverse("admin:documents_document_changelist"))
    assert response.status_code == 200
    assert "1/GXN-UBND" in response.content.decode()


def test_an_official_of_another_commune_cannot_open_the_document_in_the_admin(
    client, other_official, signed_document
):
    client.force_login(other_official)
    listing = client.get(reverse("admin:documents_document_changelist"))
    assert "1/GXN-UBND" not in listing.content.decode()
    change = client.get(reverse("admin:documents_document_change", args=[signed_document.pk]))
    assert change.status_code in (302, 403, 404)


def test_documents_cannot_be_added_or_deleted_in_the_admin_by_officials(
    client, official, signed_document
):
    client.force_login(official)
    assert client.get(reverse("admin:documents_document_add")).status_code == 403
    delete = reverse("admin:documents_document_delete", args=[signed_document.pk])
    assert client.get(delete).status_code == 403
