import pytest

from langso.engage.exceptions import InvalidExpression
from langso.engage.expressions import evaluate, is_true, parse, references


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
