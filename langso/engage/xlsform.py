"""Reading an XLSForm (.xlsx with survey / choices / settings sheets, the ODK and KoboToolbox
standard) into Làng Số questions.

pyxform converts the form first: its own checks (names, choice lists, references) come back
with their row ("[row : 5] ..."). Then pyxform's tree is mapped to questions. A form either
imports and behaves as XLSForm says, or is refused with every reason, each naming the sheet,
the row and the feature (`Trang survey, dòng 7: loại câu hỏi “range” chưa được hỗ trợ`):
nothing is dropped silently.

Mapping. Groups become headings, their `relevant` joins that of every question inside;
`begin loop over <list>` (which pyxform expands into one group per choice) gives one copy
of its questions per choice, named `<loop>_<choice>_<question>`, with `%(label)s` replaced
by the choice's label; `begin repeat` becomes a REPEAT question followed by its own
questions (one level: a repeat inside a repeat is refused); `or_other` arrives from pyxform
as an "other" choice plus a `<name>_other` text question. `phone number` is a PHONE question
(digits only, as pyxform's `regex(., '^\\d*$')` says). Labels in several languages
(`label::English (en)`) are all kept; the settings' `default_language` picks the one shown
when none fits the reader's language.
"""

import io
import re
from dataclasses import dataclass, field
from pathlib import PurePath

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from pyxform import xls2xform
from pyxform.errors import PyXFormError

from . import expressions
from .exceptions import InvalidExpression, InvalidXLSForm
from .models import QuestionType

TYPES = {
    "text": QuestionType.TEXT,
    "string": QuestionType.TEXT,
    "integer": QuestionType.INTEGER,
    "int": QuestionType.INTEGER,
    "decimal": QuestionType.DECIMAL,
    "select one": QuestionType.SELECT_ONE,
    "select all that apply": QuestionType.SELECT_MULTIPLE,
    "select multiple": QuestionType.SELECT_MULTIPLE,
    "date": QuestionType.DATE,
    "time": QuestionType.TIME,
    "datetime": QuestionType.DATETIME,
    "geopoint": QuestionType.GEOPOINT,
    "location": QuestionType.GEOPOINT,
    "gps": QuestionType.GEOPOINT,
    "note": QuestionType.NOTE,
    "calculate": QuestionType.CALCULATE,
    "photo": QuestionType.IMAGE,
    "image": QuestionType.IMAGE,
    "file": QuestionType.FILE,
    "phone number": QuestionType.PHONE,
}
SELECTS = (QuestionType.SELECT_ONE, QuestionType.SELECT_MULTIPLE)
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
_ROW = re.compile(r"\[row\s*:\s*(\d+)\]")
_LEGACY = re.compile(r"^add (.+?) prompt(?: using)?$")
_TRUE = ("yes", "true", "true()", "1")
_FALSE = ("", "no", "false", "false()", "0")
_PHONE_CONSTRAINT = "regex(., '^[0-9]*$')"
MAX_NAME = 64


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
    default_language: str = ""
    allow_choice_duplicates: bool = False


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


_EXPRESSION_COLUMNS = ("relevant", "constraint", "calculation", "repeat_count", "required")


def _precheck(rows: list[tuple[int, dict]], names: set[str]) -> list[FormError]:
    """Expressions checked on the sheet's own rows, before pyxform, so that the official
    reads in Vietnamese which row uses an unknown name or a function Làng Số cannot run."""
    errors: list[FormError] = []
    for number, row in rows:
        for column in (*_EXPRESSION_COLUMNS, "choice_filter", "default"):
            text = row.get(column, "")
            if not text or (column == "required" and text.lower() in _TRUE + _FALSE):
                continue
            if column == "default" and "${" not in text and "(" not in text:
                continue
            try:
                tree = expressions.parse(text, children=column == "choice_filter")
            except InvalidExpression as exc:
                errors.append(
                    FormError(
                        "survey",
                        number,
                        _("cột %(col)s: %(reason)s") % {"col": column, "reason": exc.message},
                    )
                )
                continue
            for ref in sorted(expressions.references(tree) - names):
                errors.append(
                    FormError(
                        "survey",
                        number,
                        _("cột %(col)s nhắc đến ${%(name)s} không có trong trang survey.")
                        % {"col": column, "name": ref},
                    )
                )
    return errors


def _read_sheets(data: bytes) -> tuple[dict[str, list[int]], dict, list]:
    """(rows of each name on the survey sheet, the settings row, the survey rows)."""
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
    rows_by_name: dict[str, list[int]] = {}
    for number, row in rows:
        if row.get("name"):
            rows_by_name.setdefault(row["name"], []).append(number)
    return rows_by_name, settings, rows


def _pick(value, language: str) -> str:
    """The text of a label in the form's default language."""
    if isinstance(value, dict):
        if language in value:
            return str(value[language])
        if "default" in value:
            return str(value["default"])
        return str(next(iter(value.values()), ""))
    return "" if value is None else str(value)


def _both(outer: str, inner: str) -> str:
    if outer and inner:
        return f"({outer}) and ({inner})"
    return outer or inner


def _format(value, column: dict):
    """A loop question's label with `%(label)s` / `%(name)s` of the choice it is about."""

    def one(text, language):
        label = _pick(column.get("label"), language)
        return str(text).replace("%(label)s", label).replace("%(name)s", column["name"])

    if isinstance(value, dict):
        return {lang: one(text, lang) for lang, text in value.items()}
    return one(value, "") if value else value


class _Mapper:
    def __init__(self, rows_by_name: dict[str, list[int]], language: str):
        self.rows_by_name = rows_by_name
        self.language = language
        self.errors: list[FormError] = []
        self.questions: list[dict] = []
        self.languages: set[str] = set()
        self.seen: dict[str, int] = {}

    def row(self, name: str) -> int | None:
        """The row of the n-th use of a name (pyxform allows one name in two groups)."""
        rows = self.rows_by_name.get(name)
        if not rows:
            return None
        seen = self.seen.get(name, 0)
        self.seen[name] = seen + 1
        return rows[min(seen, len(rows) - 1)]

    def fail(self, row, reason):
        self.errors.append(FormError("survey", row, reason))

    def walk(self, children, *, heading="", relevant="", repeat="", prefix="", row_of=None):
        for child in children:
            ctype = str(child.get("type", ""))
            name = str(child.get("name", ""))
            row = self.row(name) if row_of is None else row_of
            if ctype == "group":
                if name == "meta" and not repeat:
                    continue
                bind = child.get("bind", {}) or {}
                self.walk(
                    child.get("children", []),
                    heading=self.label(child.get("label")) or heading,
                    relevant=_both(relevant, bind.get("relevant", "") or ""),
                    repeat=repeat,
                    prefix=prefix,
                    row_of=row_of,
                )
            elif ctype == "loop":
                self.loop(child, heading, relevant, repeat, prefix, row)
            elif ctype == "repeat":
                self.repeat(child, heading, relevant, repeat, prefix, row)
            else:
                self.question(child, ctype, heading, relevant, repeat, prefix, row)

    def loop(self, child, heading, relevant, repeat, prefix, row):
        bind = child.get("bind", {}) or {}
        own = _both(relevant, bind.get("relevant", "") or "")
        for column in child.get("columns", []) or []:
            copies = [
                {
                    **c,
                    "label": _format(c.get("label"), column),
                    "hint": _format(c.get("hint"), column),
                }
                for c in child.get("children", [])
            ]
            self.walk(
                copies,
                heading=self.label(column.get("label")) or heading,
                relevant=own,
                repeat=repeat,
                prefix=f"{prefix}{child['name']}_{column['name']}_",
            )

    def repeat(self, child, heading, relevant, repeat, prefix, row):
        if repeat:
            self.fail(
                row,
                _(
                    "nhóm lặp “%(name)s” nằm trong nhóm lặp “%(outer)s”: nhóm lặp lồng nhau "
                    "chưa được hỗ trợ."
                )
                % {"name": child["name"], "outer": repeat},
            )
            return
        bind = child.get("bind", {}) or {}
        control = child.get("control", {}) or {}
        name = f"{prefix}{child['name']}"
        marker = self.base(child, name, QuestionType.REPEAT, heading, row)
        marker["relevant"] = _both(relevant, bind.get("relevant", "") or "")
        marker["repeat_count"] = str(control.get("jr:count", "") or "")
        self.check(row, "relevant", marker["relevant"])
        self.check(row, "repeat_count", marker["repeat_count"])
        self.questions.append(marker)
        self.walk(
            child.get("children", []),
            heading="",  # the repeat's own title already heads each instance
            relevant="",
            repeat=name,
            prefix=prefix,
        )

    def label(self, value) -> str:
        if isinstance(value, dict):
            self.languages.update(value)
        return _pick(value, self.language)

    def base(self, child, name, qtype, heading, row) -> dict:
        translations: dict = {}
        for key in ("label", "hint"):
            value = child.get(key)
            if isinstance(value, dict):
                for lang, text in value.items():
                    translations.setdefault(lang, {})[key] = str(text)
        return {
            "name": name,
            "label": self.label(child.get("label")) or name,
            "hint": self.label(child.get("hint")),
            "group_label": heading,
            "qtype": qtype,
            "translations": translations if len(translations) > 1 else {},
            "row": row,
        }

    def question(self, child, ctype, heading, relevant, repeat, prefix, row):
        legacy = _LEGACY.match(ctype)
        if legacy:
            ctype = {"select one": "select one", "select multiple": "select all that apply"}.get(
                legacy.group(1), legacy.group(1)
            )
        if ctype in METADATA:
            return
        qtype = TYPES.get(ctype) or TYPES.get(ctype.lower())
        if qtype is None:
            self.fail(
                row,
                _("loại câu hỏi “%(type)s” chưa được hỗ trợ trên web.") % {"type": ctype},
            )
            return
        name = f"{prefix}{child['name']}"
        if len(name) > MAX_NAME:
            self.fail(
                row, _("tên “%(name)s” dài quá %(max)s ký tự.") % {"name": name, "max": MAX_NAME}
            )
            return
        bind = child.get("bind", {}) or {}
        data = self.base(child, name, qtype, heading, row)
        required = str(bind.get("required", "") or "").strip()
        read_only = str(bind.get("readonly", "") or "").strip()
        if read_only.lower() not in _TRUE + _FALSE:
            self.fail(row, _("read_only theo điều kiện chưa được hỗ trợ."))
        if child.get("trigger"):
            self.fail(row, _("cột trigger chưa được hỗ trợ."))
        data.update(
            {
                "required": required.lower() in _TRUE,
                "required_if": "" if required.lower() in _TRUE + _FALSE else required,
                "required_message": self.label(bind.get("jr:requiredMsg")),
                "constraint": str(bind.get("constraint", "") or ""),
                "constraint_message": self.label(bind.get("jr:constraintMsg")),
                "relevant": _both(relevant, bind.get("relevant", "") or ""),
                "calculation": str(bind.get("calculate", "") or ""),
                "default": "" if child.get("default") is None else str(child["default"]),
                "read_only": read_only.lower() in _TRUE,
                "repeat": repeat,
                "choice_filter": str(child.get("choice_filter", "") or ""),
                "choices": [],
            }
        )
        if qtype == QuestionType.PHONE:
            data["constraint"] = _both(data["constraint"], _PHONE_CONSTRAINT)
            data["hint"] = data["hint"] or _("Chỉ nhập chữ số.")
        if qtype in SELECTS:
            self.choices(child, data, row)
        for column in ("relevant", "constraint", "calculation", "required_if"):
            self.check(row, column, data[column])
        if data["default"] and ("${" in data["default"] or "(" in data["default"]):
            self.check(row, "default", data["default"])
        if data["choice_filter"]:
            self.check_filter(row, data)
        self.questions.append(data)

    def choices(self, child, data, row):
        itemset = str(child.get("itemset", "") or "")
        raw = child.get("choices")
        if not raw:
            if itemset.startswith("${"):
                reason = _("lựa chọn lấy từ câu trả lời khác (%(list)s) chưa được hỗ trợ.")
            else:
                reason = _("lựa chọn lấy từ tệp ngoài (%(list)s) chưa được hỗ trợ.")
            self.fail(row, reason % {"list": itemset})
            return
        out = []
        for c in raw:
            item = {"name": str(c["name"]), "label": self.label(c.get("label")) or str(c["name"])}
            if isinstance(c.get("label"), dict) and len(c["label"]) > 1:
                item["labels"] = {lang: str(text) for lang, text in c["label"].items()}
            filters = {
                k: "" if v is None else str(v)
                for k, v in c.items()
                if k not in ("name", "label", "media", "sms_option")
            }
            if filters:
                item["filters"] = filters
            out.append(item)
        data["choices"] = out

    def check(self, row, column, text):
        if not text:
            return
        try:
            tree = expressions.parse(text)
        except InvalidExpression as exc:
            self.fail(row, _("cột %(col)s: %(reason)s") % {"col": column, "reason": exc.message})
            return
        missing = sorted(expressions.references(tree) - set(self.rows_by_name))
        if missing:
            self.fail(
                row,
                _("cột %(col)s nhắc đến ${%(name)s} không có trong trang survey.")
                % {"col": column, "name": missing[0]},
            )

    def check_filter(self, row, data):
        try:
            tree = expressions.parse(data["choice_filter"], children=True)
        except InvalidExpression as exc:
            self.fail(row, _("cột choice_filter: %(reason)s") % {"reason": exc.message})
            return
        known = {"name", "label"}
        for c in data["choices"]:
            known.update(c.get("filters", {}))
        unknown = sorted(expressions.columns(tree) - known)
        if unknown:
            self.fail(
                row,
                _("cột choice_filter nhắc đến cột “%(col)s” không có trong trang choices.")
                % {"col": unknown[0]},
            )

    def duplicates(self):
        seen: dict[str, dict] = {}
        for q in self.questions:
            if q["name"] in seen:
                self.fail(
                    q["row"],
                    _("tên “%(name)s” đã dùng ở nhóm khác; trên web mỗi câu hỏi cần một tên riêng.")
                    % {"name": q["name"]},
                )
            seen[q["name"]] = q


def _title(tree: dict, settings: dict, file_name: str) -> str:
    if settings.get("form_title"):
        return _pick(tree.get("title"), "") or settings["form_title"]
    if settings.get("form_id"):
        return settings["form_id"]
    stem = PurePath(file_name or "").stem
    return stem.replace("_", " ").strip() or _("Khảo sát")


def parse_xlsform(data: bytes, *, file_name: str = "") -> ParsedForm:
    """Parse and check an XLSForm; raise InvalidXLSForm with every (sheet, row, reason)."""
    rows_by_name, settings, rows = _read_sheets(data)
    errors = _precheck(rows, set(rows_by_name))
    if errors:
        raise refuse(errors)
    try:
        result = xls2xform.convert(xlsform=data, file_type=".xlsx", warnings=[])
    except PyXFormError as exc:
        text = str(exc)
        m = _ROW.search(text)
        reason = _ROW.sub("", text).strip()
        lowered = reason.lower()
        sheet = "choices" if "'choices'" in lowered or "choices sheet" in lowered else "survey"
        if "'settings'" in lowered:
            sheet = "settings"
        reason = _("không đúng chuẩn XLSForm (pyxform báo: %(reason)s)") % {"reason": reason}
        raise refuse([FormError(sheet, int(m.group(1)) if m else None, reason)]) from exc
    except Exception as exc:  # pyxform's own bugs on odd files must not become a 500
        raise refuse([FormError("survey", None, str(exc)[:300])]) from exc
    tree = result._pyxform
    language = str(settings.get("default_language") or tree.get("default_language") or "")
    mapper = _Mapper(rows_by_name, language)
    mapper.walk(tree.get("children", []))
    mapper.duplicates()
    if mapper.errors:
        raise refuse(mapper.errors)
    if not [
        q for q in mapper.questions if q["qtype"] not in (QuestionType.NOTE, QuestionType.REPEAT)
    ]:
        raise refuse([FormError("survey", None, _("biểu mẫu không có câu hỏi nào."))])
    if language in ("", "default") and mapper.languages:
        language = sorted(mapper.languages)[0] if "default" not in mapper.languages else "default"
    return ParsedForm(
        title=_title(tree, settings, file_name),
        form_id=str(tree.get("id_string", "")),
        version=str(tree.get("version", "") or ""),
        questions=mapper.questions,
        settings=settings,
        default_language=language if language != "default" else "",
        allow_choice_duplicates=settings.get("allow_choice_duplicates", "").lower() in _TRUE,
    )
