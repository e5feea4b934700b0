"""What the answer page shows of a survey: each question in the reader's language, with the
state the server's walk (`answering.walk_form`) computed — relevance, remaining choices of a
cascade, computed values, labels that print answers, repeat instances. The same state is sent
as JSON to the page's script, so both come from one evaluator."""

from django.utils.translation import get_language

from .answering import QuestionType, Repeat, fill_label, plan

_LANGUAGE_HINTS = {
    "vi": ("(vi)", "vietnam", "tiếng việt", "tieng viet"),
    "en": ("(en)", "english"),
}


def _matching(names, code: str) -> str | None:
    hints = _LANGUAGE_HINTS.get((code or "vi")[:2], ())
    for name in names:
        lowered = name.lower()
        if any(h in lowered for h in hints):
            return name
    return None


def localized(q, code: str | None = None) -> tuple[str, str]:
    """(label, hint) of a question in the reader's language when the form has it."""
    lang = _matching(q.translations or {}, code or get_language() or "vi")
    if lang:
        text = q.translations[lang]
        return text.get("label") or q.label, text.get("hint", q.hint)
    return q.label, q.hint


def choice_label(choice: dict, code: str | None = None) -> str:
    labels = choice.get("labels") or {}
    lang = _matching(labels, code or get_language() or "vi")
    return labels[lang] if lang else choice["label"]


def label_of(q, key: str, state, code: str | None = None) -> str:
    label, _hint = localized(q, code)
    values = state.label_values.get(key)
    return fill_label(label, values) if values is not None else label


def _field(q, key, raw, state, heading) -> dict:
    values = raw.get(key)
    if values is None:
        values = [state.values[key]] if key in state.values else []
    elif not isinstance(values, list):
        values = [values]
    values = [str(v) for v in values if not hasattr(v, "read")]
    if q.read_only and key in state.values:
        values = [state.values[key]]
    allowed = state.choices.get(key)
    _label, hint = localized(q)
    return {
        "kind": "question",
        "q": q,
        "key": key,
        "id": "q-" + key.replace("[", "-").replace("]", "").replace(".", "-"),
        "label": label_of(q, key, state),
        "hint": hint,
        "heading": heading,
        "value": values[0] if values else "",
        "values": values,
        "error": state.errors.get(key, ""),
        "relevant": state.relevance.get(key, True),
        "choices": [
            {
                "name": c["name"],
                "label": choice_label(c),
                "allowed": allowed is None or c["name"] in allowed,
            }
            for c in q.choices
        ],
    }


def entries(questions, raw: dict, state) -> list[dict]:
    """The page in order: questions, and for each repeat its instances."""
    out: list[dict] = []
    last_heading = ""

    def heading_of(q):
        nonlocal last_heading
        heading = q.group_label if q.group_label != last_heading else ""
        last_heading = q.group_label
        return heading

    for item in plan(questions):
        if isinstance(item, Repeat):
            marker = item.marker
            count = state.counts.get(marker.name, 0)
            fixed = bool(marker.repeat_count)
            label = label_of(marker, marker.name, state)
            out.append(
                {
                    "kind": "repeat_open",
                    "q": marker,
                    "key": marker.name,
                    "label": label,
                    "heading": heading_of(marker),
                    "relevant": state.relevance.get(marker.name, True),
                    "count": count,
                    "fixed": fixed,
                }
            )
            for index in range(count):
                last_heading = ""
                out.append({"kind": "instance_open", "rep": marker.name, "number": index + 1})
                for q in item.questions:
                    if q.qtype == QuestionType.CALCULATE:
                        continue
                    key = f"{marker.name}[{index}].{q.name}"
                    out.append(_field(q, key, raw, state, heading_of(q)))
                out.append(
                    {
                        "kind": "instance_close",
                        "rep": marker.name,
                        "index": index,
                        "label": label,
                        "fixed": fixed,
                    }
                )
            last_heading = ""
            out.append(
                {
                    "kind": "repeat_close",
                    "key": marker.name,
                    "label": label,
                    "count": count,
                    "fixed": fixed,
                }
            )
        elif item.qtype != QuestionType.CALCULATE:
            out.append(_field(item, item.name, raw, state, heading_of(item)))
    return out


def as_json(questions, state) -> dict:
    """What the page's script needs after each change."""
    labels = {}
    by_name = {q.name: q for q in questions}
    for key in state.label_values:
        name = key.split("].", 1)[1] if "]." in key else key
        q = by_name.get(name)
        if q is not None:
            labels[key] = label_of(q, key, state)
    return {
        "relevant": state.relevance,
        "choices": state.choices,
        "values": state.values,
        "labels": labels,
        "counts": state.counts,
    }
