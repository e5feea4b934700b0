"""Survey answers to CSV and Excel, laid out as KoboToolbox exports them.

- One row per response on the main table, one column per question; a select_multiple has its
  column with the chosen values separated by spaces, then one `question/choice` column per
  choice holding 1 or 0 (empty when the question was not answered).
- A repeat is its own table (its own sheet in Excel; `?sheet=<repeat>` for CSV), one row per
  instance, linked to its response by `_parent_index` = the response's `_index` (and
  `_parent_table_name`, `_submission__uuid`).
- An empty answer is an empty cell; numbers stay numbers (integer, decimal, numeric
  calculations), so a spreadsheet can sum them; text that a spreadsheet would run as a
  formula is neutralised.
"""

import csv
import io
import re

from openpyxl import Workbook

from langso.core.exports import safe_cell, safe_row

from .answering import Repeat, plan
from .models import QuestionType

SKIPPED = (QuestionType.NOTE, QuestionType.REPEAT)
MAIN = "data"
_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def _columns(questions) -> list[tuple[str, object, str | None]]:
    """(header, question, choice) for the questions of one table."""
    out: list[tuple[str, object, str | None]] = []
    for q in questions:
        if q.qtype in SKIPPED:
            continue
        out.append((q.name, q, None))
        if q.qtype == QuestionType.SELECT_MULTIPLE:
            for choice in dict.fromkeys(c["name"] for c in q.choices):
                out.append((f"{q.name}/{choice}", q, choice))
    return out


def _value(answers: dict, question, choice):
    value = answers.get(question.name)
    if choice is not None:
        if value is None:
            return None
        return 1 if choice in value else 0
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    return value


def tables(survey) -> dict[str, list[list]]:
    """{table name: rows with the header first}: the main table, then one per repeat."""
    steps = plan(survey.questions.all())
    top = [item for item in steps if not isinstance(item, Repeat)]
    repeats = [item for item in steps if isinstance(item, Repeat)]
    main_columns = _columns(top)
    head = ["_index", "_uuid", "_submission_time"]
    if not survey.anonymous:
        head.append("respondent")
    out = {MAIN: [head + [h for h, _q, _c in main_columns]]}
    repeat_columns = {}
    for block in repeats:
        columns = _columns(block.questions)
        repeat_columns[block.marker.name] = (block, columns)
        out[block.marker.name] = [
            [h for h, _q, _c in columns]
            + ["_index", "_parent_table_name", "_parent_index", "_submission__uuid"]
        ]
    responses = survey.responses.select_related("respondent").order_by(
        "submitted_on", "submitted_at", "id"
    )
    counters = dict.fromkeys(repeat_columns, 0)
    for index, response in enumerate(responses.iterator(chunk_size=500), start=1):
        answers = response.answers or {}
        row = [index, str(response.id), response.submitted_on.isoformat()]
        if not survey.anonymous:
            row.append(response.respondent.username if response.respondent_id else "")
        row += [_value(answers, q, c) for _h, q, c in main_columns]
        out[MAIN].append(row)
        for name, (_block, columns) in repeat_columns.items():
            for instance in answers.get(name) or []:
                counters[name] += 1
                out[name].append(
                    [_value(instance, q, c) for _h, q, c in columns]
                    + [counters[name], MAIN, index, str(response.id)]
                )
    return out


def rows(survey, sheet: str = MAIN):
    """The rows of one table (the main one by default)."""
    return tables(survey).get(sheet, [])


def to_csv(survey, sheet: str = MAIN) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows(survey, sheet):
        writer.writerow(safe_row(row, empty=""))
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: Excel reads UTF-8 correctly


def _sheet_title(name: str, taken: set[str]) -> str:
    base = _SHEET_CHARS.sub("_", name)[:31] or "repeat"
    title, n = base, 1
    while title.lower() in taken:
        n += 1
        title = f"{base[: 31 - len(str(n)) - 1]}_{n}"
    taken.add(title.lower())
    return title


def to_xlsx(survey) -> bytes:
    wb = Workbook(write_only=True)
    taken = {"questions"}
    for name, table in tables(survey).items():
        ws = wb.create_sheet(_sheet_title(name, taken))
        for row in table:
            ws.append(safe_row(row))
    labels = wb.create_sheet("questions")
    labels.append(["name", "label", "type", "repeat", "choices"])
    for q in survey.questions.all():
        labels.append(
            [
                safe_cell(q.name),
                safe_cell(q.label),
                q.qtype,
                safe_cell(q.repeat),
                safe_cell("; ".join(f"{c['name']}={c['label']}" for c in q.choices)),
            ]
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def sheet_names(survey) -> list[str]:
    """The repeat tables a CSV export can be asked for."""
    return list(
        survey.questions.filter(qtype=QuestionType.REPEAT)
        .order_by("position")
        .values_list("name", flat=True)
    )
