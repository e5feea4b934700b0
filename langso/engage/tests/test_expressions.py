import pytest

from langso.engage.exceptions import InvalidExpression
from langso.engage.expressions import NodeSet, evaluate, is_true, parse, references


@pytest.mark.parametrize(
    ("expr", "values", "current", "expected"),
    [
        ("${a} = 'yes'", {"a": "yes"}, None, True),
        ("${a} != 'yes'", {"a": "yes"}, None, False),
        (". >= 18 and . <= 120", {}, 17.0, False),
        (". >= 18 and . <= 120", {}, 30.0, True),
        ("selected(${f}, 'b')", {"f": "a b"}, None, True),
        ("selected(${f}, 'c')", {"f": "a b"}, None, False),
        ("count-selected(.) <= 2", {}, "a b c", False),
        ("not(${a} = '')", {"a": ""}, None, False),
        ("${x} > 3 or ${y} = 1", {"x": 1.0, "y": "1"}, None, True),
        ("(${x} + 2) * 3 = 15", {"x": 3.0}, None, True),
        ("${x} div 2 = 2.5 and ${x} mod 2 = 1", {"x": 5.0}, None, True),
        ("string-length(.) <= 3", {}, "abcd", False),
        ("${missing} = ''", {}, None, True),
        (". < today()", {}, "2000-01-01", True),
        ("if(${a} = 'x', 1, 0) = 1", {"a": "x"}, None, True),
        ("regex(., '^0[0-9]{9}$')", {}, "0912345678", True),
        ("-${x} < 0", {"x": 2.0}, None, True),
    ],
)
def test_expressions_evaluate_the_common_xpath_subset(expr, values, current, expected):
    assert is_true(expr, values=values, current=current) is expected


def test_comparing_an_empty_answer_with_a_number_is_false_not_an_error():
    assert is_true(". > 5", values={}, current="") is False
    assert is_true(". < 5", values={}, current="") is False


def test_references_lists_the_fields_an_expression_reads():
    assert references(parse("${a} > 1 and selected(${b}, 'x') or .")) == {"a", "b"}


@pytest.mark.parametrize(
    "expr",
    [
        "__import__('os').system('id')",
        "${a} = 'x' ; drop",
        "pulldata('x', 'y')",
        "${a} =",
        "(${a} = 1",
        "",
    ],
)
def test_anything_outside_the_subset_is_refused_not_evaluated(expr):
    with pytest.raises(InvalidExpression):
        evaluate(expr, values={"a": 1})


def test_function_with_wrong_number_of_arguments_is_refused():
    with pytest.raises(InvalidExpression) as exc:
        parse("selected(${a})")
    assert "selected" in exc.value.message


# --- hostile input: bounded by construction, not by a clock ----------------------------------


def test_an_expression_of_100_kb_is_refused_before_a_single_character_is_read():
    from langso.engage.expressions import Cost

    cost = Cost()
    with pytest.raises(InvalidExpression) as exc:
        parse("1 + " * 25_000 + "1", cost=cost)
    assert "quá dài" in exc.value.message
    assert cost.scanned == 0 and cost.taken == 0


@pytest.mark.parametrize(
    "unit",
    ["${a} + ", "(${a} = 'x') or ", "selected(${b}, 'c') and ", "- ", "'((((((' != "],
)
def test_scanning_and_parsing_take_steps_in_proportion_to_the_length(unit):
    from langso.engage.expressions import MAX_LENGTH, Cost, tokenize

    for repeats in (1, 4, 16, (MAX_LENGTH - 4) // len(unit)):
        text = unit * repeats + "1"
        cost = Cost()
        tree = parse(text, cost=cost)
        assert cost.scanned <= len(text)
        assert cost.taken <= len(tokenize(text)) + 1  # every token taken once: no backtracking
        assert evaluate(text, values={"a": 1.0, "b": "c"}) is not None or tree


def test_nesting_deeper_than_the_limit_is_refused_not_a_stack_overflow():
    from langso.engage.expressions import MAX_DEPTH

    assert is_true("(" * MAX_DEPTH + "1" + ")" * MAX_DEPTH, values={})
    for text in ("(" * 400 + "1" + ")" * 400, "not(" * 150 + "1" + ")" * 150):
        with pytest.raises(InvalidExpression) as exc:
            parse(text)
        assert "lồng quá sâu" in exc.value.message


def test_a_long_flat_chain_is_evaluated_without_one_stack_frame_per_operator():
    import sys

    text = " + ".join(["1"] * 240)
    depth, frame = 0, sys._getframe()
    while frame is not None:
        depth, frame = depth + 1, frame.f_back
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(depth + 60)  # far fewer spare frames than operators
    try:
        assert evaluate(text, values={}) == 240.0
    finally:
        sys.setrecursionlimit(limit)


def test_regex_runs_on_re2_so_a_catastrophic_pattern_cannot_backtrack():
    from langso.engage import expressions

    # (a+)+$ backtracks exponentially in Python's re on 'aaa…b'; RE2 has no backtracking
    assert type(expressions._regex("(a+)+$")).__module__.startswith("re2")
    assert is_true("regex(., '(a+)+$')", values={}, current="a" * 5000 + "b") is False
    with pytest.raises(InvalidExpression):
        parse("regex(., '(a)\\1')")  # back-references need backtracking: refused


@pytest.mark.parametrize(
    ("expr", "values", "expected"),
    [
        ("sum(${x}) = 6", {"x": NodeSet([1.0, 2.0, 3.0])}, True),
        ("count(${r}) = 2", {"r": NodeSet([0, 1])}, True),
        ("max(${x}) = 3 and min(${x}) = 1", {"x": NodeSet([1.0, 3.0])}, True),
        ("${x} = 2", {"x": NodeSet([1.0, 2.0])}, True),
        ("int((today() - ${dob}) div 365.25) >= 18", {"dob": "2000-01-01"}, True),
        ("concat(${a}, '-', ${b}) = 'x-y'", {"a": "x", "b": "y"}, True),
        ("round(2.345, 2) = 2.35 and floor(2.7) = 2 and ceiling(2.1) = 3", {}, True),
        ("substr('abcdef', 1, 3) = 'bc'", {}, True),
        ("string-length(normalize-space('  a   b ')) = 3", {}, True),
        ("selected(../nguon, 'other')", {"nguon": "other"}, True),
        ("count-selected(${f}) = 2 and selected-at(${f}, 1) = 'b'", {"f": "a b"}, True),
        ("date(0) = '1970-01-01'", {}, True),
    ],
)
def test_repeat_date_and_text_functions_behave_as_odk(expr, values, expected):
    assert is_true(expr, values=values) is expected


def test_a_choice_filter_reads_the_choice_columns():
    assert is_true("state = ${s}", values={"s": "texas"}, children={"state": "texas"})
    assert not is_true("state = ${s}", values={"s": "texas"}, children={"state": "washington"})
    with pytest.raises(InvalidExpression):
        parse("state = ${s}")  # a bare name means a choice column only in a choice_filter
