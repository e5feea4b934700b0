from ninja import Schema


class CaptureResult(Schema):
    captured: int
    eventIDs: list[str]


class ErrorOut(Schema):
    code: str
    detail: str
    reasons: list[str] = []
