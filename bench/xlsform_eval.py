"""Evaluating XLSForm expressions: Làng Số's own evaluator (langso/engage/expressions.py)
against a kept XPath library, elementpath, over the XML instance pyxform's XForm describes.

    .venv/bin/pip install -e ".[dev]"       # elementpath is a dev extra
    .venv/bin/python bench/xlsform_eval.py [--rounds 2000]

Prints, for the expressions of a realistic form (relevance, constraints, calculations,
repeats, a cascade's choice filter), the time of one "page refresh" (every expression
evaluated once, as survey_relevance does; both sides parse each expression once and keep
the tree) with each evaluator and their ratio; then,
for hostile expressions, what each does (time, or the error it raises). Figures are ratios
measured in the same run, never absolute limits. The choice is recorded in
docs/adr/0010-xlsform-expressions.md.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from xml.etree import ElementTree as ET

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from langso.engage import expressions  # noqa: E402

# (XLSForm text as the form writer types it, the XPath pyxform writes into the XForm)
EXPRESSIONS = [
    ("${likes_pizza} = 'yes'", "/data/likes_pizza = 'yes'"),
    ("selected(${toppings}, 'cheese')", "selected(/data/toppings, 'cheese')"),
    (". >= 18 and . < 120", "/data/age >= 18 and /data/age < 120"),
    ("${amount} * 0.18", "/data/amount * 0.18"),
    ("count-selected(${toppings}) <= 2", "count-selected(/data/toppings) <= 2"),
    ("sum(${income})", "sum(/data/member/income)"),
    ("count(${member}) > 1", "count(/data/member) > 1"),
    ("if(${age} >= 60, 'elder', 'adult')", "if (/data/age >= 60) then 'elder' else 'adult'"),
    (
        "string-length(${name}) > 2 and ${name} != 'x'",
        "string-length(/data/name) > 2 and /data/name != 'x'",
    ),
    (
        "(${a} + ${b}) div 2 > 3 or ${c} mod 2 = 1",
        "(/data/a + /data/b) div 2 > 3 or /data/c mod 2 = 1",
    ),
]
FILTER = ("state = ${state}", "state = /data/state")
CHOICES = [{"name": f"c{i}", "state": "texas" if i % 2 else "washington"} for i in range(40)]

VALUES = {
    "likes_pizza": "yes",
    "toppings": "cheese pepperoni",
    "age": 30.0,
    "amount": 100.0,
    "name": "Nguyễn An",
    "a": 3.0,
    "b": 5.0,
    "c": 7.0,
    "state": "texas",
    "income": expressions.NodeSet([3.5, 4.0, 2.0]),
    "member": expressions.NodeSet([0, 1, 2]),
}


def ours_round():
    for text, _xpath in EXPRESSIONS:
        current = VALUES["age"] if text.startswith(".") else None
        expressions.evaluate(text, values=VALUES, current=current)
    for choice in CHOICES:  # the cascade: the filter once per choice
        expressions.evaluate(FILTER[0], values=VALUES, children=choice)


def elementpath_setup():
    import elementpath
    from elementpath import XPath2Parser, XPathContext

    def text(value):
        if hasattr(value, "string_value"):
            return value.string_value
        return "" if value is None else str(value)

    parser = XPath2Parser()
    any_item = ("item()?", "item()?", "xs:boolean")
    parser.external_function(
        lambda s, v: text(v) in text(s).split(), name="selected", sequence_types=any_item
    )
    parser.external_function(
        lambda s: len(text(s).split()),
        name="count-selected",
        sequence_types=("item()?", "xs:integer"),
    )

    def instance():
        root = ET.Element("data")
        for key in ("likes_pizza", "toppings", "age", "amount", "name", "a", "b", "c", "state"):
            ET.SubElement(root, key).text = expressions.as_text(VALUES[key])
        for income in (3.5, 4.0, 2.0):
            member = ET.SubElement(root, "member")
            ET.SubElement(member, "income").text = str(income)
        return root

    def choice_rows():
        root = ET.Element("root")
        for c in CHOICES:
            item = ET.SubElement(root, "item")
            for key, value in c.items():
                ET.SubElement(item, key).text = value
        return root

    cache: dict = {}

    def parse(xpath):
        if xpath not in cache:
            cache[xpath] = parser.parse(xpath)
        return cache[xpath]

    def one_round():
        doc = instance()  # the server would build the instance from the answers each time
        context = XPathContext(doc)
        for _text, xpath in EXPRESSIONS:
            parse(xpath).evaluate(context)
        rows = choice_rows()
        for item in rows:
            parse(FILTER[1].replace("/data/state", "$state")).evaluate(
                XPathContext(item, variables={"state": VALUES["state"]})
            )

    return elementpath, parser, one_round


def timed(fn, rounds: int) -> float:
    samples = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(rounds):
            fn()
        samples.append((time.perf_counter() - start) / rounds)
    return statistics.median(samples)


def hostile(parser):
    cases = [
        ("flat chain, 250 additions (997 chars)", " + ".join(["1"] * 250)),
        ("nesting, 30 levels", "(" * 30 + "1" + ")" * 30),
        ("nesting, 400 levels", "(" * 400 + "1" + ")" * 400),
        ("100 KB chain", " + ".join(["1"] * 25_000)),
    ]
    print("\nhostile input (time per parse, or what is raised):")
    print(f"{'case':40} {'Làng Số':>28} {'elementpath':>28}")
    for label, text in cases:
        results = []
        for run in (expressions.parse, parser.parse):
            start = time.perf_counter()
            try:
                run(text)
                outcome = f"{(time.perf_counter() - start) * 1e3:.2f} ms"
            except Exception as exc:  # the bench reports whatever happens
                took = (time.perf_counter() - start) * 1e3
                outcome = f"{type(exc).__name__} {took:.2f} ms"
            results.append(outcome)
        print(f"{label:40} {results[0]:>28} {results[1]:>28}")


def main():
    args = argparse.ArgumentParser()
    args.add_argument("--rounds", type=int, default=500)
    rounds = args.parse_args().rounds
    ours = timed(ours_round, rounds)
    print(
        f"one page refresh ({len(EXPRESSIONS)} expressions + a filter over {len(CHOICES)} choices):"
    )
    print(f"  Làng Số evaluator: {ours * 1e6:9.1f} µs")
    try:
        elementpath, parser, other_round = elementpath_setup()
    except ImportError:
        print("  elementpath: not installed (pip install -e '.[dev]'); no comparison")
        return
    theirs = timed(other_round, max(rounds // 5, 20))
    print(f"  elementpath {elementpath.__version__}: {theirs * 1e6:9.1f} µs")
    print(f"  ratio elementpath / Làng Số: {theirs / ours:.1f}x")
    hostile(parser)


if __name__ == "__main__":
    main()
