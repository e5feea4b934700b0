"""Checks of uploaded files by their content, not their name: a photo must decode as an image,
an attachment must start with the signature of an allowed format. Photos are re-encoded,
which drops EXIF data such as the GPS position of the phone."""

import io
import zipfile
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from .exceptions import InvalidUpload

MAX_PHOTO_BYTES = 8 * 1024 * 1024
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_PHOTO_SIDE = 2000


@dataclass
class CheckedFile:
    content: ContentFile
    name: str
    content_type: str
    size: int
    width: int = 0
    height: int = 0


def _read(upload, limit: int) -> bytes:
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise InvalidUpload(_("Tệp %(name)s quá lớn (tối đa %(mb)s MB).")
                            % {"name": getattr(upload, "name", ""), "mb": limit // 1024 // 1024})
    if not data:
        raise InvalidUpload(_("Tệp %(name)s rỗng.") % {"name": getattr(upload, "name", "")})
    return data


def check_photo(upload) -> CheckedFile:
    data = _read(upload, MAX_PHOTO_BYTES)
    try:
        with Image.open(io.BytesIO(data)) as img:
            if img.format not in ("JPEG", "PNG", "WEBP"):
                raise InvalidUpload(_("Ảnh phải là JPEG, PNG hoặc WebP."))
            img.load()
            img = img.convert("RGB")
            img.thumbnail((MAX_PHOTO_SIDE, MAX_PHOTO_SIDE))
            out = io.BytesIO()
            img.save(out, "JPEG", quality=82)  # a fresh file: no EXIF, no GPS position
            width, height = img.size
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise InvalidUpload(_("Tệp %(name)s không phải là ảnh hợp lệ.")
                            % {"name": getattr(upload, "name", "")}) from exc
    body = out.getvalue()
    return CheckedFile(ContentFile(body), "photo.jpg", "image/jpeg", len(body), width, height)


_SIGNATURES = [
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
]
_OOXML = {
    "word/": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
              ".docx"),
    "xl/": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
}


def sniff(data: bytes) -> tuple[str, str] | None:
    for magic, content_type, ext in _SIGNATURES:
        if data.startswith(magic):
            return content_type, ext
    if data.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names:
            for prefix, found in _OOXML.items():
                if any(n.startswith(prefix) for n in names):
                    return found
    return None


def check_attachment(upload) -> CheckedFile:
    data = _read(upload, MAX_ATTACHMENT_BYTES)
    found = sniff(data)
    if found is None:
        raise InvalidUpload(_("Tệp %(name)s không được nhận: chỉ nhận PDF, Word (.docx), Excel "
                              "(.xlsx), JPEG, PNG.") % {"name": getattr(upload, "name", "")})
    content_type, ext = found
    base = (getattr(upload, "name", "") or "tep").rsplit("/", 1)[-1].rsplit(".", 1)[0][:150]
    return CheckedFile(ContentFile(data), base + ext, content_type, len(data))
