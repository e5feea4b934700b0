"""Checking uploaded files by their content, not by their name or the browser's claim."""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import File
from django.utils.translation import gettext as _

from .exceptions import (
    AttachmentRequired,
    AttachmentTooLarge,
    AttachmentTypeNotAllowed,
    TooManyAttachments,
)

MAX_ATTACHMENT_BYTES = getattr(settings, "LANGSO_MAX_ATTACHMENT_BYTES", 5 * 1024 * 1024)
MAX_ATTACHMENTS = 10
_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


@dataclass(frozen=True)
class CheckedFile:
    file: File
    name: str
    content_type: str
    size: int
    sha256: str


def sniff(head: bytes) -> str | None:
    for magic, content_type in _SIGNATURES:
        if head.startswith(magic):
            return content_type
    return None


def check_file(upload: File) -> CheckedFile:
    name = (getattr(upload, "name", "") or "tep").rsplit("/", 1)[-1][:200]
    size = upload.size or 0
    if size > MAX_ATTACHMENT_BYTES:
        raise AttachmentTooLarge(
            _("Tệp %(name)s quá lớn (%(size)s MB). Mỗi tệp tối đa %(max)s MB.")
            % {"name": name, "size": round(size / 1048576, 1),
               "max": MAX_ATTACHMENT_BYTES // 1048576}, name=name)
    if size == 0:
        raise AttachmentTypeNotAllowed(
            _("Tệp %(name)s rỗng, vui lòng chọn lại tệp.") % {"name": name}, name=name)
    upload.seek(0)
    digest = hashlib.sha256()
    head = b""
    for chunk in upload.chunks():
        if not head:
            head = chunk[:16]
        digest.update(chunk)
    upload.seek(0)
    content_type = sniff(head)
    if content_type is None:
        raise AttachmentTypeNotAllowed(
            _("Tệp %(name)s không phải PDF, JPEG hoặc PNG. Chỉ nhận tệp PDF hoặc ảnh JPEG, PNG.")
            % {"name": name}, name=name)
    return CheckedFile(file=upload, name=name, content_type=content_type, size=size,
                       sha256=digest.hexdigest())


def check_files(uploads, *, required: bool = False) -> list[CheckedFile]:
    uploads = [u for u in (uploads or []) if u is not None]
    if required and not uploads:
        raise AttachmentRequired(_("Vui lòng đính kèm ít nhất một tệp thành phần hồ sơ."))
    if len(uploads) > MAX_ATTACHMENTS:
        raise TooManyAttachments(_("Mỗi lần nộp tối đa %(max)s tệp.") % {"max": MAX_ATTACHMENTS})
    return [check_file(u) for u in uploads]
