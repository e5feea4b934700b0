"""Checking a resident's answers against the survey's rules, on the server: type, required,
`relevant` (a question that is not relevant is dropped), `constraint`, `choice_filter`
(an answer outside the filtered choices is refused), `calculation`, `read_only` and
`default`, and repeats.

The browser never evaluates an expression itself: its script (`static/engage/skiplogic.js`)
posts the answers so far to `survey_relevance`, which runs this same walk and answers what
to show, which choices remain, the computed values and how many times each repeat is asked.
So the page and the final check cannot disagree.

Keys. A question outside a repeat is keyed by its name; inside one by `repeat[i].name`
(`i` from 0), and the number of instances the page shows travels as `repeat[n]`. `[` cannot
occur in an XLSForm name, so the keys cannot collide. The API may instead send a repeat as a
list of objects: `{"members": [{"name": "An"}, ...]}`. Stored answers nest the same way.

Order. Answers are walked in form order twice: the first walk gives every question a value,
the second re-evaluates with them, so a calculation or a condition that reads a question
further down the form (common for `calculate` rows at the top) sees its answer, as ODK's
dependency graph would.
"""

import math
import re
from collections import ChainMap
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.utils import timezone
from django.utils.translation import gettext as _

from .expressions import (
    NodeSet,
    as_text,
    context_value,
    evaluate,
    is_true,
    stored_value,
)
from .models import Question, QuestionType

MAX_TEXT = 2000
MAX_INSTANCES = 50
SELECTS = (QuestionType.SELECT_ONE, QuestionType.SELECT_MULTIPLE)
UPLOADS = (QuestionType.IMAGE, QuestionType.FILE)
_PHONE = re.compile(r"^\+?[0-9]{1,20}$")
_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_.\-]*)\}")
_REPEAT_KEY = re.compile(r"^([^\[\]]+)\[(\d{1,4})\]\.(.+)$")
_REPEAT_COUNT = re.compile(r"^([^\[\]]+)\[n\]$")


def _first(raw):
    if isinstance(raw, list | tuple):
        return raw[0] if raw else ""
    return raw if raw is not None else ""


def _is_upload(raw) -> bool:
    return hasattr(raw, "read") and hasattr(raw, "name")


def parse_value(question, raw, *, allowed: list[str] | None = None, files: bool = False):
    """(value, error). Empty answers give (None, None). `allowed` narrows a select's choices
    (choice_filter); with `files`, an image or file answer is checked as an upload."""
    qtype = question.qtype
    names = {c["name"] for c in question.choices}
    if allowed is not None:
        names &= set(allowed)
    if qtype == QuestionType.SELECT_MULTIPLE:
        items = raw if isinstance(raw, list | tuple) else (str(raw).split() if raw else [])
        items = [str(i).strip() for i in items if str(i).strip()]
        if not items:
            return None, None
        if any(i not in names for i in items):
            return None, _("Lựa chọn không có trong danh sách.")
        ordered = list(dict.fromkeys(c["name"] for c in question.choices if c["name"] in items))
        return ordered, None
    if qtype in UPLOADS:
        return _parse_upload(question, _first(raw), files)
    text = str(_first(raw)).strip()
    if text == "":
        return None, None
    if qtype == QuestionType.TEXT:
        if len(text) > MAX_TEXT:
            return None, _("Câu trả lời dài quá %(max)s ký tự.") % {"max": MAX_TEXT}
        return text, None
    if qtype == QuestionType.PHONE:
        phone = re.sub(r"[\s.\-]", "", text[:40])
        if not _PHONE.match(phone):
            return None, _("Số điện thoại chỉ gồm chữ số.")
        return phone, None
    if qtype == QuestionType.INTEGER:
        try:
            number = int(text[:30])
        except ValueError:
            return None, _("Hãy nhập một số nguyên.")
        if abs(number) >= 2**53:
            return None, _("Số quá lớn.")
        return number, None
    if qtype == QuestionType.DECIMAL:
        try:
            decimal = float(text[:40].replace(",", "."))
        except ValueError:
            return None, _("Hãy nhập một số.")
        if not math.isfinite(decimal):
            return None, _("Hãy nhập một số.")
        return decimal, None
    if qtype == QuestionType.SELECT_ONE:
        if text not in names:
            return None, _("Lựa chọn không có trong danh sách.")
        return text, None
    if qtype == QuestionType.DATE:
        try:
            return date.fromisoformat(text[:10]).isoformat(), None
        except ValueError:
            return None, _("Hãy nhập ngày theo dạng năm-tháng-ngày.")
    if qtype == QuestionType.TIME:
        try:
            return time.fromisoformat(text[:15]).replace(microsecond=0).isoformat(), None
        except ValueError:
            return None, _("Hãy nhập giờ theo dạng giờ:phút.")
    if qtype == QuestionType.DATETIME:
        try:
            moment = datetime.fromisoformat(text[:40])
        except ValueError:
            return None, _("Hãy nhập ngày giờ theo dạng năm-tháng-ngàyTgiờ:phút.")
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return timezone.localtime(moment).replace(microsecond=0).isoformat(), None
    if qtype == QuestionType.GEOPOINT:
        parts = text.replace(",", " ").split()
        try:
            lat, lon = float(parts[0]), float(parts[1])
        except (IndexError, ValueError):
            return None, _("Hãy nhập vĩ độ và kinh độ, ví dụ 21.70 105.77.")
        if math.isnan(lat) or math.isnan(lon) or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            return None, _("Vĩ độ, kinh độ nằm ngoài phạm vi.")
        return f"{lat:.6f} {lon:.6f}", None
    return None, None


def _parse_upload(question, raw, files: bool):
    """An upload is checked by its content (langso.core.uploads) only on the real submission;
    while the page asks what to show, the browser sends the chosen file's name."""
    if _is_upload(raw):
        if not files:
            return str(raw.name)[:200] or None, None
        from langso.core.exceptions import ValidationFailed

        from .uploads import check_photo, check_survey_file

        try:
            checked = check_photo(raw) if question.qtype == QuestionType.IMAGE else None
            checked = checked or check_survey_file(raw)
        except ValidationFailed as exc:
            return None, exc.message
        return checked, None
    text = str(raw or "").strip()
    if not text or files:
        return None, None  # a bare name is not a file: on submission it counts as no answer
    return text[:200], None


@dataclass
class Repeat:
    marker: Question
    questions: list = field(default_factory=list)


def plan(questions) -> list:
    """Questions in order, the ones of a repeat gathered under its marker."""
    out: list = []
    repeats: dict[str, Repeat] = {}
    for q in questions:
        if q.qtype == QuestionType.REPEAT:
            repeats[q.name] = Repeat(q)
            out.append(repeats[q.name])
        elif q.repeat and q.repeat in repeats:
            repeats[q.repeat].questions.append(q)
        else:
            out.append(q)
    return out


def split_raw(raw: dict, repeats: set[str]) -> tuple[dict, dict[str, list[dict]], dict]:
    """(answers outside repeats, each repeat's instances, instance counts the page sent)."""
    top: dict = {}
    instances: dict[str, dict[int, dict]] = {}
    counts: dict[str, int] = {}
    for key, value in raw.items():
        if key in repeats and isinstance(value, list):
            rows = [v for v in value[:MAX_INSTANCES] if isinstance(v, dict)]
            instances[key] = dict(enumerate(rows))
            counts[key] = len(rows)
            continue
        m = _REPEAT_KEY.match(key)
        if m and m.group(1) in repeats:
            index = int(m.group(2))
            if index < MAX_INSTANCES:
                instances.setdefault(m.group(1), {}).setdefault(index, {})[m.group(3)] = value
            continue
        m = _REPEAT_COUNT.match(key)
        if m and m.group(1) in repeats:
            try:
                counts[m.group(1)] = max(0, min(int(str(_first(value))[:4]), MAX_INSTANCES))
            except ValueError:
                pass
            continue
        top[key] = value
    out: dict[str, list[dict]] = {}
    for name, by_index in instances.items():
        size = max(counts.get(name, 0), max(by_index) + 1 if by_index else 0)
        counts[name] = size
        out[name] = [by_index.get(i, {}) for i in range(size)]
    return top, out, counts


@dataclass
class FormState:
    answers: dict = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    relevance: dict[str, bool] = field(default_factory=dict)
    #: allowed choice names of the selects that have a choice_filter
    choices: dict[str, list[str]] = field(default_factory=dict)
    #: what the page shows in a field it does not take from the resident (calculate,
    #: read_only, a default on a blank form)
    values: dict[str, str] = field(default_factory=dict)
    #: labels that print answers (`${tip}`), with the answers filled in
    labels: dict[str, str] = field(default_factory=dict)
    #: the answers those labels print, to fill a label in another language
    label_values: dict[str, dict[str, str]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    #: checked uploads waiting to be stored: key -> (question, CheckedFile)
    files: dict[str, tuple] = field(default_factory=dict)


def fill_label(text: str, scope) -> str:
    return _REF.sub(lambda m: as_text(scope.get(m.group(1), "")), text)


def choice_row(choice: dict) -> dict:
    """The columns a choice_filter can read for one choice."""
    return {**(choice.get("filters") or {}), "name": choice["name"], "label": choice["label"]}


class _Walk:
    def __init__(self, plan_, *, today, blank: bool, files: bool):
        self.plan = plan_
        self.today = today
        self.blank = blank
        self.files = files

    def run(self, raw: dict, seed: dict | None, seed_instances: dict | None) -> FormState:
        self.state = FormState()
        repeats = {item.marker.name for item in self.plan if isinstance(item, Repeat)}
        top, instances, sent_counts = split_raw(raw, repeats)
        self.top_scope: dict = dict(seed or {})
        self.instance_scopes: dict[str, list[dict]] = {}
        for item in self.plan:
            if isinstance(item, Repeat):
                self.repeat(item, instances.get(item.marker.name, []), sent_counts, seed_instances)
            else:
                self.question(item, self.top_scope, top.get(item.name), item.name, None, None)
        return self.state

    def repeat(self, block: Repeat, rows: list[dict], sent_counts: dict, seed_instances):
        marker = block.marker
        name = marker.name
        scope = self.top_scope
        relevant = not marker.relevant or is_true(marker.relevant, values=scope, today=self.today)
        self.state.relevance[name] = relevant
        self.fill(marker, name, scope)
        if not relevant:
            count = 0
        elif marker.repeat_count:
            number = evaluate(marker.repeat_count, values=scope, today=self.today)
            number = context_value(number) if isinstance(number, int) else number
            try:
                count = int(float(as_text(number)))
            except ValueError:
                count = 0
            count = max(0, min(count, MAX_INSTANCES))
        elif name in sent_counts:
            count = sent_counts[name]
        else:
            count = 1 if self.blank else 0
        self.state.counts[name] = count
        answers_rows = []
        scopes = []
        previous = (seed_instances or {}).get(name, [])
        for index in range(count):
            own = dict(previous[index]) if index < len(previous) else {}
            instance = ChainMap(own, scope)
            answered: dict = {}
            raw = rows[index] if index < len(rows) else {}
            for q in block.questions:
                key = f"{name}[{index}].{q.name}"
                self.question(q, instance, raw.get(q.name), key, index + 1, answered)
            scopes.append(own)
            answers_rows.append(answered)
        self.instance_scopes[name] = scopes
        if count:
            self.state.answers[name] = answers_rows
        scope[name] = NodeSet(range(count))
        for q in block.questions:
            scope[q.name] = NodeSet(s.get(q.name, "") for s in scopes)

    def question(self, q, scope, raw, key, position, answers):
        answers = self.state.answers if answers is None else answers
        state = self.state
        common = {"values": scope, "today": self.today, "position": position}
        relevant = not q.relevant or is_true(q.relevant, **common)
        state.relevance[key] = relevant
        if not relevant:
            scope[q.name] = ""
            return
        self.fill(q, key, scope)
        if q.qtype in (QuestionType.NOTE, QuestionType.REPEAT):
            scope[q.name] = ""
            return
        if q.qtype == QuestionType.CALCULATE or q.calculation:
            result = stored_value(evaluate(q.calculation, **common)) if q.calculation else ""
            scope[q.name] = context_value(result)
            state.values[key] = as_text(result)
            if result != "":
                answers[q.name] = result
            return
        allowed = None
        if q.choice_filter and q.qtype in SELECTS:
            allowed = [
                c["name"]
                for c in q.choices
                if is_true(q.choice_filter, children=choice_row(c), **common)
            ]
            state.choices[key] = allowed
        if q.read_only or (raw is None and self.blank and q.default):
            raw = self.default(q, common)
            if raw != "":
                state.values[key] = raw
        value, error = parse_value(q, raw, allowed=allowed, files=self.files)
        seen = value
        if q.qtype in UPLOADS and value is not None and not isinstance(value, str):
            state.files[key] = (q, value)
            seen = value.name
        # the question's own name means its answer, as `.` does (`${age} < 30` on age)
        scope[q.name] = "" if seen is None else context_value(seen)
        required = q.required or (bool(q.required_if) and is_true(q.required_if, **common))
        if error is None and value is None and required:
            error = q.required_message or _("Câu này bắt buộc trả lời.")
        if error is None and value is not None and q.constraint:
            if not is_true(q.constraint, current=context_value(seen), **common):
                error = q.constraint_message or _("Câu trả lời không thỏa điều kiện của câu hỏi.")
        if error:
            state.errors[key] = error
            return
        if value is not None:
            answers[q.name] = value

    def fill(self, q, key, scope):
        texts = [q.label] + [t.get("label", "") for t in (q.translations or {}).values()]
        refs = {name for text in texts if "${" in text for name in _REF.findall(text)}
        if refs:
            self.state.label_values[key] = {r: as_text(scope.get(r, "")) for r in refs}
            self.state.labels[key] = fill_label(q.label, scope)

    @staticmethod
    def default(q, common) -> str:
        text = q.default
        if not text:
            return ""
        if "${" in text or "(" in text:
            return as_text(evaluate(text, **common))
        return text


def walk_form(
    questions, raw: dict, *, today: date | None = None, blank: bool = False, files: bool = False
) -> FormState:
    """Everything the page and the submission need to know about these answers. `blank`:
    the form was just opened (defaults fill empty fields, each repeat shows once); `files`:
    check uploads for real (only on submission)."""
    today = today or timezone.localdate()
    steps = plan(questions)
    first = _Walk(steps, today=today, blank=blank, files=False)
    first.run(raw, None, None)
    second = _Walk(steps, today=today, blank=blank, files=files)
    return second.run(raw, first.top_scope, first.instance_scopes)


def evaluate_form(questions, raw: dict, *, today: date | None = None):
    """(answers, errors, relevance) of a submission."""
    state = walk_form(questions, raw, today=today)
    return state.answers, state.errors, state.relevance


def change_repeats(raw: dict, action: str, questions) -> dict:
    """The answers with one repeat instance added (`add:<repeat>`) or removed
    (`remove:<repeat>:<i>`, later instances move up), as the page's buttons ask."""
    repeats = {q.name for q in questions if q.qtype == QuestionType.REPEAT}
    parts = action.split(":")
    if len(parts) < 2 or parts[1] not in repeats:
        return raw
    name = parts[1]
    _top, instances, counts = split_raw(raw, repeats)
    count = counts.get(name, 1 if name not in instances else len(instances[name]))
    out = {k: v for k, v in raw.items() if not k.startswith(f"{name}[")}
    rows = instances.get(name, [])
    rows = rows + [{}] * (count - len(rows))
    if parts[0] == "add" and count < MAX_INSTANCES:
        rows.append({})
    elif parts[0] == "remove" and len(parts) == 3 and parts[2].isdigit():
        index = int(parts[2])
        if index < len(rows):
            rows.pop(index)
    for index, row in enumerate(rows):
        for field_name, value in row.items():
            out[f"{name}[{index}].{field_name}"] = value
    out[f"{name}[n]"] = [str(len(rows))]
    return out
