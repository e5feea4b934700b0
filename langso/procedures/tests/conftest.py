from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from langso.core.tests.upload_files import image_bytes
from langso.procedures.actions import load_catalogue
from langso.procedures.models import Procedure

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = image_bytes("PNG")
JPEG = image_bytes("JPEG")


def pdf_file(name="to-khai.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def local(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


@pytest.fixture
def catalogue(commune):
    load_catalogue(commune=commune)
    return Procedure.objects.filter(commune=commune)


@pytest.fixture
def birth(catalogue):
    """Đăng ký khai sinh: 1 working day, fully online."""
    return catalogue.get(code="1.001193")


@pytest.fixture
def marital(catalogue):
    """Xác nhận tình trạng hôn nhân: 3 working days, fully online."""
    return catalogue.get(code="1.004873")


@pytest.fixture
def certified_copy(catalogue):
    """Chứng thực bản sao: 4 working hours, counter only."""
    return catalogue.get(code="2.000908")


@pytest.fixture
def make_dossier(resident_user, marital):
    from langso.procedures.actions import submit_dossier

    def make(actor=None, procedure=None, now=None, **kw):
        return submit_dossier(
            actor=actor or resident_user,
            procedure_id=(procedure or marital).pk,
            applicant_name=kw.pop("applicant_name", "Nguyễn Văn An"),
            files=kw.pop("files", [pdf_file()]),
            now=now or local(2026, 3, 2, 9, 0),
            **kw,
        )

    return make
