"""`save_new_file` stores an upload as `FieldFile.save(name, content, save=False)` does."""

import os
import re
import stat
import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, InMemoryStorage

from langso.core.stored_files import save_new_file
from langso.places.models import AdminUnit
from langso.procedures import models as procedures_models
from langso.procedures.models import Dossier, DossierFile

PDF = b"%PDF-1.4\n" + b"0" * 100_000  # several chunks


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.FILE_UPLOAD_PERMISSIONS = 0o640
    settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
    return tmp_path / "media"


def _row() -> DossierFile:
    dossier = Dossier(commune=AdminUnit(code="05641"))
    return DossierFile(dossier=dossier, content_type="application/pdf")


def test_the_file_is_written_where_and_as_the_storage_writes_it(media, monkeypatch):
    def no_django_way(*args, **kwargs):
        raise AssertionError("FileSystemStorage.save: the long way")

    monkeypatch.setattr(FileSystemStorage, "save", no_django_way)
    row = _row()
    save_new_file(row.file, ContentFile(PDF), "x.pdf")
    assert re.fullmatch(r"procedures/05641/[0-9a-f]{32}\.pdf", row.file.name)
    assert row.__dict__["file"] == row.file.name  # set on the instance, not saved
    path = media / row.file.name
    assert path.read_bytes() == PDF and row.file._committed
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o750  # the folder it created
    again = _row()
    save_new_file(again.file, ContentFile(b"%PDF-2"), "x.pdf")  # the folder is there now
    assert (media / again.file.name).read_bytes() == b"%PDF-2"


def test_a_taken_name_is_never_written_over(media, monkeypatch):
    taken = uuid.UUID(int=7)
    monkeypatch.setattr(procedures_models.uuid, "uuid4", lambda: taken)
    (media / "procedures/05641").mkdir(parents=True)
    (media / f"procedures/05641/{taken.hex}.pdf").write_bytes(b"earlier")
    row = _row()
    save_new_file(row.file, ContentFile(PDF), "x.pdf")
    assert row.file.name != f"procedures/05641/{taken.hex}.pdf"  # Django found a free name
    assert (media / row.file.name).read_bytes() == PDF
    assert (media / f"procedures/05641/{taken.hex}.pdf").read_bytes() == b"earlier"


def test_another_storage_gets_the_file_through_django(media, monkeypatch):
    storage = InMemoryStorage()
    monkeypatch.setattr(DossierFile._meta.get_field("file"), "storage", storage)
    row = _row()
    save_new_file(row.file, ContentFile(PDF), "x.pdf")
    assert storage.open(row.file.name).read() == PDF
    assert not media.exists()
