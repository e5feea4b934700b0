"""Public uploads (product photos) are served in production; private ones never at MEDIA_URL."""

import inspect
import re

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import Client

from langso.core.media import PRIVATE_MEDIA_PREFIXES, PUBLIC_MEDIA_PREFIXES


def _upload_prefix(field) -> str:
    upload_to = field.upload_to
    if callable(upload_to):
        match = re.search(r'return f?"([a-z-]+/)', inspect.getsource(upload_to))
        assert match, f"cannot read the folder of {upload_to}"
        return match.group(1)
    return upload_to


def _file_fields():
    for model in apps.get_models():
        if not model.__module__.startswith("langso."):
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                yield f"{model._meta.label}.{field.name}", _upload_prefix(field)


def test_every_upload_folder_is_declared_public_or_private():
    fields = dict(_file_fields())
    assert "economy.ProductPhoto.image" in fields and "procedures.DossierFile.file" in fields
    for name, prefix in fields.items():
        public = prefix.startswith(PUBLIC_MEDIA_PREFIXES)
        private = prefix.startswith(PRIVATE_MEDIA_PREFIXES)
        assert public != private, f"{name} ({prefix}): declare it in langso/core/media.py"
    assert fields["economy.ProductPhoto.image"].startswith(PUBLIC_MEDIA_PREFIXES)
    for private in (
        "procedures.DossierFile.file",
        "engage.FeedbackPhoto.image",
        "economy.OcopDossierFile.file",
        "documents.Document.file",
    ):
        assert fields[private].startswith(PRIVATE_MEDIA_PREFIXES), private


@pytest.fixture
def stored():
    root = settings.MEDIA_ROOT
    paths = {
        "products/2026/che.jpg": b"\xff\xd8\xff photo",
        "procedures/05641/abc.pdf": b"%PDF-1.4 private",
        "engage/feedback/2026/01/x.png": b"\x89PNG private",
        "secret.txt": b"outside every folder",
    }
    for rel, content in paths.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    return paths


def test_a_product_photo_is_served_without_debug(stored, settings):
    assert settings.DEBUG is False
    response = Client().get("/media/products/2026/che.jpg")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored["products/2026/che.jpg"]
    assert "public" in response["Cache-Control"]


@pytest.mark.parametrize(
    "path",
    [
        "procedures/05641/abc.pdf",
        "engage/feedback/2026/01/x.png",
        "secret.txt",
        "products/../procedures/05641/abc.pdf",
        "products/%2e%2e/secret.txt",
        "products/2026/missing.jpg",
    ],
)
def test_a_private_or_unknown_file_is_not_served_at_media_url(stored, path, db):
    assert Client().get("/media/" + path).status_code == 404


def test_an_officials_look_at_a_feedback_photo_is_logged_and_others_get_404(
    commune, official, other_official
):
    from django.core.files.base import ContentFile
    from django.urls import reverse

    from langso.core.models import AuditEvent
    from langso.engage.actions import submit_feedback
    from langso.engage.models import FeedbackCategory, FeedbackPhoto

    category = FeedbackCategory.objects.create(
        commune=commune, code="moi-truong", name="Môi trường", deadline_working_days=5
    )
    feedback, _secret = submit_feedback(
        actor=None, commune=commune, category=category, text="Rác ở đầu xóm", contact_name="An"
    )
    photo = FeedbackPhoto.objects.create(
        feedback=feedback, image=ContentFile(b"\x89PNG", "anh.png"), content_type="image/png"
    )
    url = reverse("engage:feedback_photo", args=[feedback.tracking_code, photo.pk])
    outsider = Client()
    outsider.force_login(other_official)
    assert outsider.get(url).status_code == 404
    assert Client().get("/media/" + photo.image.name).status_code == 404
    client = Client()
    client.force_login(official)
    response = client.get(url)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    event = AuditEvent.objects.get(action="read", object_id=str(feedback.pk))
    assert event.actor == official and event.fields == {"read": ["photo"]}
