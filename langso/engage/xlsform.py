"""Reading an XLSForm (.xlsx with survey / choices / settings sheets, the ODK and KoboToolbox
standard) into Làng Số questions.

pyxform checks the form (its messages carry the row: "[row : 5] ..."); before that we check
what pyxform accepts but Làng Số cannot run on the web (repeats, photos, calculations,
unsupported functions in expressions) so that the official gets every reason with its row.
"""

import io
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from pyxform import xls2xform
from pyxform.errors import PyXFormError

from . import expressions
from .exceptions import InvalidExpression, InvalidXLSForm
from .models import QuestionType

SUPPORTED = {
    "text": QuestionType.TEXT,
    "integer": QuestionType.INTEGER,
    "int": QuestionType.INTEGER,
    "decimal": QuestionType.DECIMAL,
    "select_one": QuestionType.SELECT_ONE,
    "select_multiple": QuestionType.SELECT_MULTIPLE,
    "date": QuestionType.DATE,
    "geopoint": QuestionType.GEOPOINT,
    "note": QuestionType.NOTE,
}
STRUCTURE = {"begin_group", "end_group", "begin group", "end group"}
# Metadata rows ODK fills in on a phone; on the web they mean nothing and are skipped.
METADATA = {
    "start",
    "end",
    "today",
    "deviceid",
    "username",
    "phonenumber",
    "simserial",
    "subscriberid",
    "audit",
    "email",
    "start-geopoint",
}
PYXFORM_TYPES = {
    "text": QuestionType.TEXT,
    "integer": QuestionType.INTEGER,
    "decimal": QuestionType.DECIMAL,
    "select one": QuestionType.SELECT_ONE,
    "select all that apply": QuestionType.SELECT_MULTIPLE,
    "date": QuestionType.DATE,
    "geopoint": QuestionType.GEOPOINT,
    "note": QuestionType.NOTE,
}
_ROW = re.compile(r"\[row\s*:\s*(\d+)\]")


@dataclass
class FormError:
    sheet: str
    row: int | None
    reason: str

    def as_dict(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "reason": self.reason}

    def __str__(self) -> str:
        if self.row:
            return _("Trang %(sheet)s, dòng %(row)s: %(reason)s") % {
                "sheet": self.sheet,
                "row": self.row,
                "reason": self.reason,
            }
        return _("Trang %(sheet)s: %(reason)s") % {"sheet": self.sheet, "reason": self.reason}


@dataclass
class ParsedForm:
    title: str
    form_id: str
    version: str
    questions: list[dict]
    settings: dict = field(default_factory=dict)


def refuse(errors: list[FormError]):
    message = _("Biểu mẫu XLSForm không hợp lệ. %(first)s") % {"first": str(errors[0])}
    if len(errors) > 1:
        message += " " + _("(và %(count)s lỗi khác)") % {"count": len(errors) - 1}
    return InvalidXLSForm(message, errors=[e.as_dict() for e in errors])


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _sheet_rows(ws) -> tuple[list[str], list[tuple[int, dict]]]:
    rows = ws.iter_rows(values_only=True)
    try:
        header = [_text(h).lower() for h in next(rows)]
    except StopIteration:
        return [], []
    out = []
    for number, values in enumerate(rows, start=2):
        row = {h: _text(v) for h, v in zip(header, values, strict=False) if h}
        if any(row.values()):
            out.append((number, row))
    return header, out


def _check_expression(errors, row, column, text, names):
    if not text:
        return
    try:
        refs = expressions.references(expressions.parse(text))
    except InvalidExpression as exc:
        errors.append(
            FormError(
                "survey", row, _("cột %(col)s: %(reason)s") % {"col": column, "reason": exc.message}
            )
        )
        return
    for ref in sorted(refs - names):
        errors.append(
            FormError(
                "survey",
                row,
                _("cột %(col)s nhắc đến ${%(name)s} không có trong trang survey.")
                % {"col": column, "name": ref},
            )
        )


def _precheck(data: bytes) -> tuple[list[FormError], dict[str, int], dict]:
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a broken file
        raise refuse([FormError("survey", None, _("không đọc được tệp Excel (.xlsx)."))]) from exc
    sheets = {name.lower(): wb[name] for name in wb.sheetnames}
    if "survey" not in sheets:
        raise refuse([FormError("survey", None, _("thiếu trang “survey”."))])
    header, rows = _sheet_rows(sheets["survey"])
    for column in ("type", "name"):
        if column not in header:
            raise refuse([FormError("survey", 1, _("thiếu cột “%(col)s”.") % {"col": column})])
    settings: dict = {}
    if "settings" in sheets:
        _h, srows = _sheet_rows(sheets["settings"])
        if srows:
            settings = srows[0][1]
    errors: list[FormError] = []
    rows_by_name: dict[str, int] = {}
    names = {row.get("name", "") for _n, row in rows if row.get("name")}
    for number, row in rows:
        qtype = re.sub(r"\s+", " ", row.get("type", "")).strip()
        base = qtype.split(" ")[0].lower() if qtype else ""
        if qtype.lower() in STRUCTURE or base in METADATA:
            continue
        if not base:
            errors.append(FormError("survey", number, _("thiếu loại câu hỏi (cột type).")))
            continue
        if base in ("begin_repeat", "end_repeat") or qtype.lower() in (
            "begin repeat",
            "end repeat",
        ):
            errors.append(
                FormError("survey", number, _("nhóm lặp (repeat) chưa được hỗ trợ trên web."))
            )
            continue
        if base not in SUPPORTED:
            errors.append(
                FormError(
                    "survey",
                    number,
                    _(
                        "loại câu hỏi “%(type)s” chưa được hỗ trợ (dùng text, integer, decimal, "
                        "select_one, select_multiple, date, geopoint, note)."
                    )
                    % {"type": base},
                )
            )
            continue
        if base.startswith("select_") and " or_other" in qtype:
            errors.append(FormError("survey", number, _("“or_other” chưa được hỗ trợ.")))
        rows_by_name[row.get("name", "")] = number
        _check_expression(errors, number, "relevant", row.get("relevant", ""), names)
        _check_expression(errors, number, "constraint", row.get("constraint", ""), names)
    return errors, rows_by_name, settings


def _label(value) -> str:
    if isinstance(value, dict):
        for key, text in value.items():
            if "vi" in key.lower() or "viet" in key.lower():
                return str(text)
        return str(next(iter(value.values()), ""))
    return "" if value is None else str(value)


def _both(outer: str, inner: str) -> str:
    if outer and inner:
        return f"({outer}) and ({inner})"
    return outer or inner


def _flatten(children, group_label, out, rows_by_name, group_relevant=""):
    """Questions in form order; a group's label becomes a heading and its `relevant`
    applies to every question inside it."""
    for child in children:
        ctype = child.get("type", "")
        if ctype == "group":
            if child.get("name") == "meta":
                continue
            relevant = (child.get("bind", {}) or {}).get("relevant", "") or ""
            _flatten(
                child.get("children", []),
                _label(child.get("label")) or group_label,
                out,
                rows_by_name,
                _both(group_relevant, relevant),
            )
            continue
        if ctype not in PYXFORM_TYPES:
            continue  # metadata (start, end, ...)
        bind = child.get("bind", {}) or {}
        required = str(bind.get("required", "")).lower() in ("yes", "true", "true()", "1")
        out.append(
            {
                "name": child["name"],
                "label": _label(child.get("label")) or child["name"],
                "hint": _label(child.get("hint")),
                "group_label": group_label,
                "qtype": PYXFORM_TYPES[ctype],
                "required": required,
                "required_message": _label(bind.get("jr:requiredMsg")),
                "constraint": bind.get("constraint", "") or "",
                "constraint_message": _label(bind.get("jr:constraintMsg")),
                "relevant": _both(group_relevant, bind.get("relevant", "") or ""),
                "choices": [
                    {"name": str(c["name"]), "label": _label(c.get("label")) or str(c["name"])}
                    for c in child.get("choices", []) or []
                ],
                "row": rows_by_name.get(child["name"]),
            }
        )


def parse_xlsform(data: bytes) -> ParsedForm:
    """Parse and check an XLSForm; raise InvalidXLSForm with every (sheet, row, reason)."""
    errors, rows_by_name, settings = _precheck(data)
    if errors:
        raise refuse(errors)
    try:
        result = xls2xform.convert(xlsform=data, file_type=".xlsx", warnings=[])
    except PyXFormError as exc:
        text = str(exc)
        m = _ROW.search(text)
        reason = _ROW.sub("", text).strip()
        raise refuse(
            [
                FormError(
                    "survey" if "choices" not in reason.lower() else "choices",
                    int(m.group(1)) if m else None,
                    reason,
                )
            ]
        ) from exc
    except Exception as exc:  # pyxform's own bugs on odd files must not become a 500
        raise refuse([FormError("survey", None, str(exc)[:300])]) from exc
    tree = result._pyxform
    questions: list[dict] = []
    _flatten(tree.get("children", []), "", questions, rows_by_name)
    if not [q for q in questions if q["qtype"] != QuestionType.NOTE]:
        raise refuse([FormError("survey", None, _("biểu mẫu không có câu hỏi nào."))])
    return ParsedForm(
        title=_label(tree.get("title")) or tree.get("id_string", ""),
        form_id=str(tree.get("id_string", "")),
        version=str(tree.get("version", "") or ""),
        questions=questions,
        settings=settings,
    )
