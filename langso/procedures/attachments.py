"""Checking dossier attachments by their content (langso.core.uploads), not by their name or
the browser's claim: PDF or a JPEG/PNG photo of a paper, at most MAX_ATTACHMENT_BYTES each."""

from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import File
from django.utils.translation import gettext as _

from langso.core.uploads import SCANS, CheckedUpload, check_upload, check_uploads

from .exceptions import AttachmentRequired

MAX_ATTACHMENT_BYTES = getattr(settings, "LANGSO_MAX_ATTACHMENT_BYTES", 5 * 1024 * 1024)
MAX_ATTACHMENTS = 10


@dataclass(frozen=True)
class CheckedFile:
    file: File
    name: str
    content_type: str
    size: int
    sha256: str


def _checked(c: CheckedUpload) -> CheckedFile:
    return CheckedFile(
        file=c.file, name=c.name, content_type=c.content_type, size=c.size, sha256=c.sha256
    )


def check_file(upload: File) -> CheckedFile:
    return _checked(check_upload(upload, kinds=SCANS, max_bytes=MAX_ATTACHMENT_BYTES))


def check_files(uploads, *, required: bool = False) -> list[CheckedFile]:
    uploads = [u for u in (uploads or []) if u is not None]
    if required and not uploads:
        raise AttachmentRequired(_("Vui lòng đính kèm ít nhất một tệp thành phần hồ sơ."))
    return [
        _checked(c)
        for c in check_uploads(
            uploads, kinds=SCANS, max_files=MAX_ATTACHMENTS, max_bytes=MAX_ATTACHMENT_BYTES
        )
    ]
