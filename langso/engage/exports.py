"""Survey answers to CSV and Excel: one row per response, one column per question."""

import csv
import io

from openpyxl import Workbook

from .models import QuestionType


def _columns(survey):
    questions = [q for q in survey.questions.all() if q.qtype != QuestionType.NOTE]
    head = ["response_id", "submitted_on"]
    if not survey.anonymous:
        head.append("respondent")
    return questions, head + [q.name for q in questions]


def _cell(question, value):
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    return value


def rows(survey):
    questions, head = _columns(survey)
    yield head
    responses = survey.responses.select_related("respondent").order_by("submitted_on", "id")
    for r in responses.iterator(chunk_size=500):
        row = [str(r.id), r.submitted_on.isoformat()]
        if not survey.anonymous:
            row.append(r.respondent.username if r.respondent_id else "")
        row += [_cell(q, r.answers.get(q.name)) for q in questions]
        yield row


def to_csv(survey) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows(survey):
        # a leading = + - @ would be run as a formula by spreadsheet programs
        writer.writerow([f"'{c}" if isinstance(c, str) and c[:1] in "=+-@" else c for c in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: Excel reads UTF-8 correctly


def to_xlsx(survey) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("data")
    for row in rows(survey):
        ws.append([f"'{c}" if isinstance(c, str) and c[:1] in "=+-@" else c for c in row])
    labels = wb.create_sheet("questions")
    labels.append(["name", "label", "type", "choices"])
    for q in survey.questions.all():
        labels.append(
            [q.name, q.label, q.qtype, "; ".join(f"{c['name']}={c['label']}" for c in q.choices)]
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
