"""Engagement uploads, checked by content in langso.core.uploads (not by their name): feedback
photos and announcement attachments. Photos are then re-encoded, which drops EXIF data such
as the GPS position of the phone."""

import io
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image

from langso.core.uploads import DOCX, IMAGES, JPEG, PDF, PNG, XLSX, UploadWrongType, check_upload

MAX_PHOTO_BYTES = 8 * 1024 * 1024
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_PHOTO_SIDE = 2000
ATTACHMENT_KINDS = (PDF, DOCX, XLSX, JPEG, PNG)


@dataclass
class CheckedFile:
    content: ContentFile
    name: str
    content_type: str
    size: int
    width: int = 0
    height: int = 0


def check_photo(upload) -> CheckedFile:
    checked = check_upload(upload, kinds=IMAGES, max_bytes=MAX_PHOTO_BYTES)
    try:  # decoding is bounded: the pixel count was checked before
        with Image.open(checked.file) as img:
            img.load()
            rgb = img.convert("RGB")
            rgb.thumbnail((MAX_PHOTO_SIDE, MAX_PHOTO_SIDE))
            out = io.BytesIO()
            rgb.save(out, "JPEG", quality=82)  # a fresh file: no EXIF, no GPS position
            width, height = rgb.size
    except (OSError, ValueError) as exc:
        raise UploadWrongType(
            _("Tệp %(name)s không phải là ảnh hợp lệ hoặc đã bị hỏng.") % {"name": checked.name},
            name=checked.name,
        ) from exc
    body = out.getvalue()
    return CheckedFile(ContentFile(body), "photo.jpg", "image/jpeg", len(body), width, height)


def check_attachment(upload) -> CheckedFile:
    checked = check_upload(upload, kinds=ATTACHMENT_KINDS, max_bytes=MAX_ATTACHMENT_BYTES)
    return CheckedFile(
        ContentFile(checked.read()), checked.display_name(), checked.content_type, checked.size
    )


def check_survey_file(upload) -> CheckedFile:
    """A file answer to a survey (XLSForm `file`): the same kinds and limits as an
    announcement's attachment (PDF, Word, Excel, JPEG, PNG)."""
    return check_attachment(upload)
