from ninja import Schema

from langso.core.schemas import ErrorCode


class CaptureResult(Schema):
    """An EPCIS 2.0 capture job (finished: ours store all events or none at once)."""

    captureID: str
    running: bool
    success: bool
    captureErrorBehaviour: str
    errors: list[str]
    captured: int
    eventIDs: list[str]


class CaptureErrorOut(Schema):
    code: ErrorCode
    detail: str
    reasons: list[str] = []
    #: a failed capture job (409): GET /capture/<captureID> tells it again
    captureID: str | None = None
