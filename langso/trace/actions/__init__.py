"""Writes of the traceability app. Import from here: `from langso.trace.actions import ...`."""

from .batches import create_api_key, create_batch, mark_labelled
from .events import correct_event, record_event
from .interchange import capture_document, import_epcis_document
from .scans import count_scan, flush_scan_counts

__all__ = [
    "capture_document",
    "correct_event",
    "count_scan",
    "create_api_key",
    "create_batch",
    "flush_scan_counts",
    "import_epcis_document",
    "mark_labelled",
    "record_event",
]
