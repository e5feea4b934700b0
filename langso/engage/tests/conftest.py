import io

import openpyxl
import pytest
from PIL import Image

from langso.engage.channels import fake
from langso.engage.models import FeedbackCategory


@pytest.fixture(autouse=True)
def fake_outbox():
    fake.reset()
    yield fake
    fake.reset()


@pytest.fixture
def category(commune):
    return FeedbackCategory.objects.create(
        commune=commune,
        code="moi-truong",
        name="Môi trường",
        deadline_working_days=5,
        default_department="Địa chính - Môi trường",
    )


@pytest.fixture
def other_category(other_commune):
    return FeedbackCategory.objects.create(
        commune=other_commune, code="giao-thong", name="Giao thông", deadline_working_days=10
    )


def image_bytes(fmt="JPEG", exif_gps=False) -> bytes:
    img = Image.new("RGB", (40, 30), (200, 30, 30))
    out = io.BytesIO()
    if exif_gps:
        exif = Image.Exif()
        exif[0x8825] = {1: "N", 2: (21.0, 42.0, 15.0)}
        img.save(out, fmt, exif=exif)
    else:
        img.save(out, fmt)
    return out.getvalue()


def xlsform(survey_rows, choices_rows=None, settings_rows=None) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "survey"
    for row in survey_rows:
        ws.append(row)
    if choices_rows:
        sheet = wb.create_sheet("choices")
        for row in choices_rows:
            sheet.append(row)
    if settings_rows:
        sheet = wb.create_sheet("settings")
        for row in settings_rows:
            sheet.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
