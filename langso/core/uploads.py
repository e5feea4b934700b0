"""The one check every uploaded file goes through before anything else reads or stores it.

The file is judged by its CONTENT, never by its name or the content type the browser sent:
a `.pdf` that does not start like a PDF is refused, a PNG must open as a PNG, an `.xlsx` must
be a zip holding a workbook. Hostile files are refused before any library decodes them:

- size: per kind, from `LANGSO_UPLOAD_MAX_BYTES` (bytes), checked before reading;
- image bombs: Pillow reads only the header, the declared width x height is compared with
  `LANGSO_UPLOAD_MAX_IMAGE_PIXELS` before any pixel is decoded, then `verify()` runs;
- zip bombs (xlsx, docx): the sum of the declared uncompressed sizes and the compression ratio
  are checked from the zip directory before openpyxl touches the file (`zipfile` never
  inflates a member beyond its declared size, so the declared sizes bound the real work);
- text (csv, xml, json): UTF-8 without NUL bytes.

Usage, in an action::

    checked = check_upload(upload, kinds=IMAGES)      # raises an UploadRejected subclass
    photo.image.save(checked.safe_name("photo"), checked.file)

Errors are `ValidationFailed` subclasses with stable codes (`core.upload_empty`,
`core.upload_too_large`, `core.upload_wrong_type`, `core.upload_image_too_large`,
`core.upload_archive_too_large`, `core.upload_too_many`) and a Vietnamese message naming the
file; the API answers 4xx with the code.
"""

from __future__ import annotations

import hashlib
import io
import json
import warnings
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from .exceptions import ValidationFailed
from .limits import body_limit

PDF, PNG, JPEG, WEBP = "pdf", "png", "jpeg", "webp"
XLSX, DOCX, CSV, XML, JSON = "xlsx", "docx", "csv", "xml", "json"
IMAGES = (JPEG, PNG, WEBP)
SCANS = (PDF, JPEG, PNG)  # a paper document photographed or scanned
SHEETS = (XLSX, CSV)

MB = 1024 * 1024
# The largest any use accepts; each use may lower it (`max_bytes=`). Population sheets of a
# whole commune are the largest files (~400,000 residents as CSV in 50 MB).
DEFAULT_MAX_BYTES = {
    PDF: 20 * MB,
    PNG: 10 * MB,
    JPEG: 10 * MB,
    WEBP: 10 * MB,
    XLSX: 50 * MB,
    DOCX: 20 * MB,
    CSV: 50 * MB,
    XML: 5 * MB,
    JSON: 5 * MB,
}
DEFAULT_MAX_IMAGE_PIXELS = 40_000_000  # 40 megapixels: any phone camera, no bomb
DEFAULT_MAX_ARCHIVE_BYTES = 300 * MB  # sum of the uncompressed members of an xlsx/docx
DEFAULT_MAX_ARCHIVE_RATIO = 200  # uncompressed / compressed; sheets of text reach ~20-60
DEFAULT_MAX_ARCHIVE_MEMBERS = 5000

_CONTENT_TYPES = {
    PDF: "application/pdf",
    PNG: "image/png",
    JPEG: "image/jpeg",
    WEBP: "image/webp",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    CSV: "text/csv",
    XML: "application/xml",
    JSON: "application/json",
}
_EXTENSIONS = {
    PDF: "pdf",
    PNG: "png",
    JPEG: "jpg",
    WEBP: "webp",
    XLSX: "xlsx",
    DOCX: "docx",
    CSV: "csv",
    XML: "xml",
    JSON: "json",
}
_PILLOW_FORMATS = {PNG: "PNG", JPEG: "JPEG", WEBP: "WEBP"}
_ZIP_MARKERS = {XLSX: "xl/workbook.xml", DOCX: "word/document.xml"}
_TEXT_KINDS = (CSV, XML, JSON)


def kind_label(kind: str) -> str:
    return {
        PDF: _("PDF"),
        PNG: _("ảnh PNG"),
        JPEG: _("ảnh JPEG"),
        WEBP: _("ảnh WebP"),
        XLSX: _("Excel (.xlsx)"),
        DOCX: _("Word (.docx)"),
        CSV: _("CSV (UTF-8)"),
        XML: _("XML"),
        JSON: _("JSON"),
    }[kind]


# -- errors ---------------------------------------------------------------------------------


class UploadRejected(ValidationFailed):
    """An uploaded file was refused; nothing was stored."""

    code = "core.upload_rejected"


class UploadEmpty(UploadRejected):
    code = "core.upload_empty"


class UploadTooLarge(UploadRejected):
    code = "core.upload_too_large"
    http_status = 413


class UploadWrongType(UploadRejected):
    code = "core.upload_wrong_type"


class ImageTooLarge(UploadRejected):
    code = "core.upload_image_too_large"


class ArchiveTooLarge(UploadRejected):
    code = "core.upload_archive_too_large"


class TooManyFiles(UploadRejected):
    code = "core.upload_too_many"


# -- limits ---------------------------------------------------------------------------------


def max_bytes_for(kind: str) -> int:
    limits = {**DEFAULT_MAX_BYTES, **getattr(settings, "LANGSO_UPLOAD_MAX_BYTES", {})}
    return int(limits[kind])


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


# -- result ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedUpload:
    """A file that passed the checks; `file` is the original upload, rewound."""

    file: Any
    name: str  # the client's base name, for display only (never a storage path)
    kind: str
    size: int
    sha256: str
    width: int = 0
    height: int = 0

    @property
    def content_type(self) -> str:
        return _CONTENT_TYPES[self.kind]

    @property
    def extension(self) -> str:
        return _EXTENSIONS[self.kind]

    def safe_name(self, stem: str) -> str:
        """A storage name: the given stem plus the extension of the REAL kind."""
        return f"{stem}.{self.extension}"

    def display_name(self) -> str:
        """The client's name with its extension replaced by the real kind's."""
        base = self.name.rsplit(".", 1)[0][:150] or "tep"
        return self.safe_name(base)

    def read(self) -> bytes:
        self.file.seek(0)
        data = self.file.read()
        self.file.seek(0)
        return data


# -- the checks -----------------------------------------------------------------------------


def _client_name(upload) -> str:
    name = str(getattr(upload, "name", "") or "tep")
    return name.replace("\\", "/").rsplit("/", 1)[-1][:200]


def _size_of(upload) -> int:
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
        upload.seek(0)
    return int(size)


def _too_large(name: str, size: int, limit: int) -> UploadTooLarge:
    return UploadTooLarge(
        _("Tệp %(name)s quá lớn (%(size)s MB); tối đa %(max)s MB.")
        % {"name": name, "size": round(size / MB, 1), "max": round(limit / MB, 1)},
        name=name,
        size=size,
        limit=limit,
    )


def _wrong_type(name: str, kinds: Iterable[str]) -> UploadWrongType:
    labels = ", ".join(kind_label(k) for k in kinds)
    return UploadWrongType(
        _(
            "Tệp %(name)s không đúng định dạng: chỉ nhận %(kinds)s. Nội dung tệp được kiểm tra, "
            "đổi tên tệp không có tác dụng."
        )
        % {"name": name, "kinds": labels},
        name=name,
    )


def sniff(head: bytes) -> str | None:
    """The kind announced by the first bytes (text kinds are decided later)."""
    if head[:1024].lstrip().startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    return None


def _check_image(upload, name: str, kind: str) -> tuple[int, int]:
    limit = _setting("LANGSO_UPLOAD_MAX_IMAGE_PIXELS", DEFAULT_MAX_IMAGE_PIXELS)
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as img:  # reads the header only
                width, height = img.size
                if width * height > limit:
                    raise _image_too_large(name, width, height, limit)
                if img.format != _PILLOW_FORMATS[kind]:
                    raise _wrong_type(name, [kind])
                img.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _image_too_large(name, None, None, limit) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise UploadWrongType(
            _("Tệp %(name)s không phải là ảnh hợp lệ hoặc đã bị hỏng.") % {"name": name}, name=name
        ) from exc
    finally:
        upload.seek(0)
    return width, height


def _image_too_large(name: str, width: int | None, height: int | None, limit: int) -> ImageTooLarge:
    """`width`/`height` are None when Pillow refused the header itself (a bomb far beyond
    its own MAX_IMAGE_PIXELS), before the size could be read."""
    values = {"name": name, "width": width, "height": height, "max": limit // 1_000_000}
    if width is None:
        message = _("Ảnh %(name)s có kích thước quá lớn; tối đa %(max)s triệu điểm ảnh.") % values
    else:
        message = (
            _(
                "Ảnh %(name)s có kích thước quá lớn (%(width)s × %(height)s điểm ảnh); tối "
                "đa %(max)s triệu điểm ảnh."
            )
            % values
        )
    return ImageTooLarge(message, name=name, width=width, height=height)


def _check_archive(upload, name: str, size: int, wanted: Iterable[str]) -> str | None:
    """The OOXML kind (xlsx, docx) of a zip, after the bomb checks; None if neither."""
    upload.seek(0)
    try:
        archive = zipfile.ZipFile(upload)
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    finally:
        upload.seek(0)
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names:
        return None
    kind = next((k for k in wanted if k in _ZIP_MARKERS and _ZIP_MARKERS[k] in names), None)
    if kind is None:
        return None
    max_total = _setting("LANGSO_UPLOAD_MAX_ARCHIVE_BYTES", DEFAULT_MAX_ARCHIVE_BYTES)
    max_ratio = _setting("LANGSO_UPLOAD_MAX_ARCHIVE_RATIO", DEFAULT_MAX_ARCHIVE_RATIO)
    max_members = _setting("LANGSO_UPLOAD_MAX_ARCHIVE_MEMBERS", DEFAULT_MAX_ARCHIVE_MEMBERS)
    total = sum(info.file_size for info in infos)
    worst_ratio = max((info.file_size / max(info.compress_size, 1) for info in infos), default=0)
    if (
        len(infos) > max_members
        or total > max_total
        or total / max(size, 1) > max_ratio
        or worst_ratio > max_ratio
    ):
        raise ArchiveTooLarge(
            _(
                "Tệp %(name)s bị từ chối: khi giải nén quá lớn hoặc nén bất thường (tối đa "
                "%(max)s MB sau giải nén)."
            )
            % {"name": name, "max": max_total // MB},
            name=name,
            uncompressed=total,
        )
    return kind


def _text_kind(data: bytes, wanted: Iterable[str]) -> str | None:
    if b"\x00" in data:
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    stripped = text.lstrip()
    if JSON in wanted and stripped[:1] in ("{", "["):
        try:
            json.loads(text)
        except ValueError:
            pass
        else:
            return JSON
    if XML in wanted and stripped.startswith("<"):
        return XML
    if CSV in wanted:
        return CSV
    return None


def check_upload(upload, *, kinds: Iterable[str], max_bytes: int | None = None) -> CheckedUpload:
    """Check one uploaded file (a Django/Ninja UploadedFile or any seekable binary file with a
    `name`) against the allowed `kinds`. `max_bytes` lowers the per-kind limit for one use.
    Returns a CheckedUpload, the file rewound; raises an UploadRejected subclass."""
    kinds = tuple(kinds)
    name = _client_name(upload)
    size = _size_of(upload)

    def limit_for(kind: str) -> int:
        limit = max_bytes_for(kind)
        return min(limit, max_bytes) if max_bytes else limit

    overall = max(limit_for(k) for k in kinds)
    if size > overall:  # before reading a single byte
        raise _too_large(name, size, overall)
    if size == 0:
        raise UploadEmpty(
            _("Tệp %(name)s rỗng, vui lòng chọn lại tệp.") % {"name": name}, name=name
        )
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    kind = sniff(head)
    width = height = 0
    if kind == "zip":
        kind = _check_archive(upload, name, size, kinds)
    elif kind is None and any(k in _TEXT_KINDS for k in kinds):
        upload.seek(0)
        kind = _text_kind(upload.read(), kinds)
        upload.seek(0)
    if kind is None or kind not in kinds:
        raise _wrong_type(name, kinds)
    if size > limit_for(kind):
        raise _too_large(name, size, limit_for(kind))
    if kind in IMAGES:
        width, height = _check_image(upload, name, kind)
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in (
        upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(64 * 1024), b"")
    ):
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(
        file=upload,
        name=name,
        kind=kind,
        size=size,
        sha256=digest.hexdigest(),
        width=width,
        height=height,
    )


def check_size(upload, *, max_bytes: int) -> None:
    """Only the size check, before reading: for content judged later by its own parser."""
    size = _size_of(upload)
    if size > max_bytes:
        raise _too_large(_client_name(upload), size, max_bytes)


def check_uploads(
    uploads, *, kinds: Iterable[str], max_files: int = 10, max_bytes: int | None = None
) -> list[CheckedUpload]:
    """Check several files of one form field; all or nothing."""
    uploads = [u for u in (uploads or []) if u is not None]
    if len(uploads) > max_files:
        raise TooManyFiles(
            _("Mỗi lần tải lên tối đa %(max)s tệp.") % {"max": max_files}, max=max_files
        )
    return [check_upload(u, kinds=kinds, max_bytes=max_bytes) for u in uploads]


def check_bytes(
    data: bytes, *, name: str, kinds: Iterable[str], max_bytes: int | None = None
) -> CheckedUpload:
    """The same checks for content already in memory."""
    buffer = io.BytesIO(data)
    buffer.name = name
    return check_upload(buffer, kinds=kinds, max_bytes=max_bytes)


# -- whole request size -----------------------------------------------------------------------

DEFAULT_MAX_REQUEST_BYTES = 60 * MB


class RequestSizeLimitMiddleware:
    """Refuse a request whose declared body exceeds LANGSO_MAX_REQUEST_BYTES with a 413 before
    Django reads it. DATA_UPLOAD_MAX_MEMORY_SIZE does not count file parts, which Django would
    otherwise stream to disk whatever their size."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = _setting("LANGSO_MAX_REQUEST_BYTES", DEFAULT_MAX_REQUEST_BYTES)
        if length > limit:
            return request_too_large(request, limit)
        # A body that is not multipart is read into memory whole, and every text step after
        # it must stay cheap: it is capped per route (langso.core.limits.BODY_LIMITS), and
        # never above DATA_UPLOAD_MAX_MEMORY_SIZE, where Django would answer a bare 400.
        # A multipart body gets the same cap unless its route takes files (`accepts_files`).
        cap = body_limit(request.path)
        memory = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if memory is not None:
            cap = min(cap, memory)
        if length > cap and not (
            request.META.get("CONTENT_TYPE", "").startswith("multipart/")
            and takes_files(request.path_info)
        ):
            return request_too_large(request, cap)
        return self.get_response(request)


#: API paths whose operations take files (the API is one view to the URL resolver)
API_UPLOAD_PREFIXES = ("/api/procedures/", "/api/documents/", "/api/people/")


def accepts_files(view):
    """Mark a page view that takes uploaded files: a multipart request to it may be as large
    as LANGSO_MAX_REQUEST_BYTES (each file is then checked by kind and size). Any other
    route refuses a multipart body over its small cap before reading it. Put it outermost."""
    view.langso_accepts_files = True
    return view


def takes_files(path: str) -> bool:
    if path.startswith("/admin/") or path.startswith(API_UPLOAD_PREFIXES):
        return True
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return getattr(match.func, "langso_accepts_files", False)


def request_too_large(request, limit: int) -> HttpResponse:
    if limit >= MB:
        detail = _("Dữ liệu gửi lên quá lớn (tối đa %(max)s MB cho một lần gửi).") % {
            "max": round(limit / MB, 1)
        }
    else:
        detail = _("Dữ liệu gửi lên quá lớn (tối đa %(max)s KB cho một lần gửi).") % {
            "max": limit // 1024
        }
    if _wants_json(request):
        response = HttpResponse(
            json.dumps({"code": "core.request_too_large", "detail": detail}, ensure_ascii=False),
            status=413,
            content_type="application/json",
        )
    else:
        response = render(
            request,
            "core/error.html",
            {"title": _("Tệp quá lớn"), "detail": detail, "code": "core.request_too_large"},
            status=413,
        )
    response["Connection"] = "close"
    return response


def _wants_json(request) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.META.get(
        "HTTP_ACCEPT", ""
    )
