"""A small, safe evaluator for the XPath subset XLSForm uses in `relevant`, `constraint`,
`calculation`, `choice_filter`, `repeat_count` and dynamic `default` (why not a general
XPath library: docs/adr/0010-xlsform-expressions.md).

Supported: `${field}`, `.` (the answer being checked), `../field` (a sibling, as pyxform
writes `or_other`), bare column names inside a `choice_filter` (`state = ${state}`),
numbers, 'strings', = != < <= > >=, + - * div mod, unary minus, and / or, parentheses, and
the functions in FUNCTIONS. Expressions are parsed into a tuple tree and interpreted;
nothing is ever passed to Python's eval. Unknown functions are refused when the form is
imported, so a form never fails later while a resident fills it in.

Hostile input: the scanner reads each character once, the parser takes each token once (no
backtracking) and binary operators of one level are kept as a flat chain that is evaluated
in a loop, so both are linear in the expression's length. Text longer than MAX_LENGTH is
refused before it is read, nesting (parentheses, function calls) deeper than MAX_DEPTH is
refused, so neither the parser nor the evaluator can exhaust Python's stack, and `regex()`
runs on RE2, whose matching time is linear in the text (no catastrophic backtracking).
"""

import math
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from functools import lru_cache

import re2
from django.utils.translation import gettext as _

from .exceptions import InvalidExpression

MAX_LENGTH = 1000
MAX_DEPTH = 32
MAX_TEXT = 10_000  # longest string an expression may build (concat, join)

_NAME_START = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")
_NAME_CHARS = _NAME_START | set("0123456789.-")
_FUNC_CHARS = _NAME_START | set("0123456789-:")
_DIGITS = set("0123456789")
_OPERATORS = ("<=", ">=", "!=", "=", "<", ">", "+", "-", "*", "(", ")", ",", "|")
_KEYWORDS = ("and", "or", "div", "mod")


class Cost:
    """Counts the steps of scanning and parsing (tests check they grow linearly)."""

    def __init__(self):
        self.scanned = 0
        self.taken = 0


def _fail(near: str):
    return InvalidExpression(
        _("Biểu thức không hợp lệ gần “%(near)s”.") % {"near": near[:15].strip()}
    )


def tokenize(text: str, cost: Cost | None = None) -> list[tuple[str, str]]:
    """One pass over the text; every branch moves `pos` forward."""
    tokens: list[tuple[str, str]] = []
    pos, end = 0, len(text)
    while pos < end:
        if cost is not None:
            cost.scanned += 1
        ch = text[pos]
        if ch.isspace():
            pos += 1
            continue
        if text.startswith("${", pos):
            close = text.find("}", pos + 2)
            name = text[pos + 2 : close] if close != -1 else ""
            if not name or name[0] not in _NAME_START or set(name) - _NAME_CHARS:
                raise _fail(text[pos:])
            tokens.append(("ref", name))
            pos = close + 1
            continue
        if text.startswith("../", pos):
            start = pos + 3
            stop = start
            while stop < end and text[stop] in _NAME_CHARS:
                stop += 1
            name = text[start:stop]
            if not name or name[0] not in _NAME_START:
                raise _fail(text[pos:])
            tokens.append(("ref", name))
            pos = stop
            continue
        if text.startswith("..", pos):
            tokens.append(("parent", ".."))
            pos += 2
            continue
        if ch in _DIGITS or (ch == "." and pos + 1 < end and text[pos + 1] in _DIGITS):
            stop = pos
            while stop < end and text[stop] in _DIGITS:
                stop += 1
            if stop < end and text[stop] == ".":
                stop += 1
                while stop < end and text[stop] in _DIGITS:
                    stop += 1
            tokens.append(("num", text[pos:stop]))
            pos = stop
            continue
        if ch in "'\"":
            close = text.find(ch, pos + 1)
            if close == -1:
                raise InvalidExpression(_("Thiếu dấu nháy đóng chuỗi trong biểu thức."))
            tokens.append(("str", text[pos + 1 : close]))
            pos = close + 1
            continue
        if ch == ".":
            tokens.append(("dot", "."))
            pos += 1
            continue
        for op in _OPERATORS:
            if text.startswith(op, pos):
                tokens.append(("op", op))
                pos += len(op)
                break
        else:
            if ch not in _NAME_START:
                raise _fail(text[pos:])
            stop = pos + 1
            while stop < end and text[stop] in _FUNC_CHARS:
                stop += 1
            name = text[pos:stop].rstrip("-")
            stop = pos + len(name)
            tokens.append(("kw", name) if name in _KEYWORDS else ("name", name))
            pos = stop
    return tokens


#: name -> (fewest, most) arguments
FUNCTIONS = {
    "not": (1, 1),
    "selected": (2, 2),
    "count-selected": (1, 1),
    "selected-at": (2, 2),
    "string-length": (1, 1),
    "number": (1, 1),
    "int": (1, 1),
    "string": (1, 1),
    "boolean": (1, 1),
    "true": (0, 0),
    "false": (0, 0),
    "today": (0, 0),
    "now": (0, 0),
    "concat": (1, 50),
    "join": (2, 2),
    "contains": (2, 2),
    "starts-with": (2, 2),
    "ends-with": (2, 2),
    "substr": (2, 3),
    "substring-before": (2, 2),
    "substring-after": (2, 2),
    "normalize-space": (1, 1),
    "regex": (2, 2),
    "if": (3, 3),
    "coalesce": (2, 2),
    "once": (1, 1),
    "round": (1, 2),
    "floor": (1, 1),
    "ceiling": (1, 1),
    "abs": (1, 1),
    "pow": (2, 2),
    "sum": (1, 1),
    "count": (1, 1),
    "count-non-empty": (1, 1),
    "max": (1, 50),
    "min": (1, 50),
    "position": (0, 1),
    "date": (1, 1),
    "decimal-date-time": (1, 1),
}

_LEVELS = (("or",), ("and",), ("=", "!="), ("<", "<=", ">", ">="), ("+", "-"), ("*", "div", "mod"))


class _Parser:
    def __init__(self, tokens, *, children: bool, cost: Cost | None):
        self.tokens = tokens
        self.i = 0
        self.depth = 0
        self.children = children
        self.cost = cost

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else ("end", "")

    def take(self):
        tok = self.peek()
        self.i += 1
        if self.cost is not None:
            self.cost.taken += 1
        return tok

    def expect(self, value):
        tok = self.take()
        if tok != ("op", value):
            raise InvalidExpression(_("Thiếu “%(what)s” trong biểu thức.") % {"what": value})

    def parse(self):
        node = self.level(0)
        if self.peek()[0] != "end":
            raise InvalidExpression(_("Biểu thức thừa “%(near)s”.") % {"near": self.peek()[1]})
        return node

    def level(self, n):
        """One precedence level: a flat chain `a op b op c`, so that a long sum does not
        nest one Python frame per operator."""
        if n == len(_LEVELS):
            return self.unary()
        ops = _LEVELS[n]
        first = self.level(n + 1)
        rest = []
        while self.peek()[0] in ("op", "kw") and self.peek()[1] in ops:
            op = self.take()[1]
            rest.append((op, self.level(n + 1)))
        return ("chain", first, rest) if rest else first

    def unary(self):
        negations = 0
        while self.peek() == ("op", "-"):
            self.take()
            negations += 1
        node = self.primary()
        return ("neg", node) if negations % 2 else node

    def nest(self):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise InvalidExpression(
                _("Biểu thức lồng quá sâu (tối đa %(max)s mức ngoặc).") % {"max": MAX_DEPTH}
            )

    def primary(self):
        kind, value = self.take()
        if kind == "num":
            return ("lit", float(value))
        if kind == "str":
            return ("lit", value)
        if kind == "ref":
            return ("ref", value)
        if kind == "dot":
            return ("dot",)
        if kind == "parent":
            return ("parent",)
        if kind == "op" and value == "(":
            self.nest()
            node = self.level(0)
            self.expect(")")
            self.depth -= 1
            return node
        if kind == "name":
            if self.peek() != ("op", "("):
                if self.children:
                    return ("child", value)
                raise InvalidExpression(
                    _("“%(name)s” không phải là hàm hay ${tên câu hỏi}.") % {"name": value}
                )
            if value not in FUNCTIONS:
                raise InvalidExpression(_("Hàm “%(name)s” chưa được hỗ trợ.") % {"name": value})
            self.nest()
            self.expect("(")
            args = []
            if self.peek() != ("op", ")"):
                args.append(self.level(0))
                while self.peek() == ("op", ","):
                    self.take()
                    args.append(self.level(0))
            self.expect(")")
            self.depth -= 1
            low, high = FUNCTIONS[value]
            if not low <= len(args) <= high:
                raise InvalidExpression(_("Hàm “%(name)s” nhận sai số đối số.") % {"name": value})
            if value == "regex" and args[1][0] == "lit":
                _regex(str(args[1][1]))  # a literal pattern is checked when the form is imported
            return ("call", value, args)
        raise _fail(value or "")


def parse(text: str, *, children: bool = False, cost: Cost | None = None):
    """The tree of an expression. `children=True` allows bare column names (choice_filter)."""
    if len(text) > MAX_LENGTH:
        raise InvalidExpression(
            _("Biểu thức quá dài (tối đa %(max)s ký tự).") % {"max": MAX_LENGTH}
        )
    tokens = tokenize(text, cost)
    if not tokens:
        raise InvalidExpression(_("Biểu thức rỗng."))
    return _Parser(tokens, children=children, cost=cost).parse()


@lru_cache(maxsize=2048)
def _parsed(text: str, children: bool):
    """A form's few expressions are evaluated on every page refresh: parse each once."""
    return parse(text, children=children)


def _walk(node):
    stack = [node]
    while stack:
        item = stack.pop()
        yield item
        kind = item[0]
        if kind == "neg":
            stack.append(item[1])
        elif kind == "chain":
            stack.append(item[1])
            stack.extend(part for _op, part in item[2])
        elif kind == "call":
            stack.extend(item[2])


def references(node) -> set[str]:
    """Names of the fields an expression reads (${name}, ../name)."""
    return {item[1] for item in _walk(node) if item[0] == "ref"}


def columns(node) -> set[str]:
    """Bare choice-sheet column names a choice_filter reads."""
    return {item[1] for item in _walk(node) if item[0] == "child"}


def functions(node) -> set[str]:
    return {item[1] for item in _walk(node) if item[0] == "call"}


# --- values ----------------------------------------------------------------------------------


class NodeSet(tuple):
    """The values of a field inside a repeat, read from outside it (XPath node-set)."""

    __slots__ = ()


_EPOCH = date(1970, 1, 1)


def _date_number(text: str) -> float | None:
    """ODK reads a date as days since 1970-01-01 and a date-time as fractional days."""
    if len(text) < 10 or text[4:5] != "-" or text[7:8] != "-":
        return None
    try:
        if len(text) == 10:
            return float((date.fromisoformat(text) - _EPOCH).days)
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.replace(tzinfo=None) - (moment.utcoffset() or timedelta(0))
    return (moment - datetime(1970, 1, 1)).total_seconds() / 86400


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, NodeSet):
        return _as_text(value[0]) if value else ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, list | tuple):
        return " ".join(_as_text(v) for v in value)
    return str(value)


def _as_number(value) -> float:
    if isinstance(value, NodeSet):
        return _as_number(value[0]) if value else math.nan
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int | float):
        return float(value)
    text = _as_text(value).strip()
    try:
        return float(text)
    except ValueError:
        days = _date_number(text)
        return math.nan if days is None else days


def _as_bool(value) -> bool:
    if isinstance(value, NodeSet):
        return len(value) > 0
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0 and not math.isnan(value)
    return _as_text(value) != ""


def _compare(op, left, right) -> bool:
    if isinstance(left, NodeSet):
        return any(_compare(op, item, right) for item in left)
    if isinstance(right, NodeSet):
        return any(_compare(op, left, item) for item in right)
    if isinstance(left, bool) or isinstance(right, bool):
        a, b = _as_bool(left), _as_bool(right)
        if op == "=":
            return a == b
        if op == "!=":
            return a != b
        return _relate(op, float(a), float(b))
    if op in ("=", "!="):
        if isinstance(left, float) or isinstance(right, float):
            equal = _as_number(left) == _as_number(right)
        else:
            equal = _as_text(left) == _as_text(right)
        return equal if op == "=" else not equal
    lt, rt = _as_text(left), _as_text(right)
    if _date_number(lt) is not None and _date_number(rt) is not None and len(lt) == len(rt):
        return _relate(op, lt, rt)
    return _relate(op, _as_number(left), _as_number(right))


def _relate(op, a, b) -> bool:
    if isinstance(a, float) and (math.isnan(a) or math.isnan(b)):
        return False
    if op == "<":
        return a < b
    if op == "<=":
        return a <= b
    if op == ">":
        return a > b
    return a >= b


def _arith(op, left, right):
    a, b = _as_number(left), _as_number(right)
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if b == 0 or math.isnan(b):
        return math.nan
    return a / b if op == "div" else math.fmod(a, b)


_RE2_OPTIONS = re2.Options()
_RE2_OPTIONS.log_errors = False


@lru_cache(maxsize=256)
def _regex(pattern: str):
    """RE2 (linear-time matching); patterns it cannot run (back-references, look-around)
    are refused like an unknown function."""
    try:
        return re2.compile(pattern, options=_RE2_OPTIONS)
    except re2.error as exc:
        raise InvalidExpression(
            _("Biểu thức chính quy “%(pattern)s” không dùng được.") % {"pattern": pattern[:40]}
        ) from exc


def _items(value) -> list:
    if isinstance(value, NodeSet):
        return list(value)
    return [value]


class Evaluator:
    """`values` maps names to answers as expressions see them (see `context_value`); in a
    repeat it is the instance's answers over the form's. `children` is the choice row a
    choice_filter is tested on; `position` the 1-based repeat instance."""

    def __init__(
        self,
        values: Mapping,
        current=None,
        today: date | None = None,
        *,
        children: Mapping | None = None,
        position: int | None = None,
        now: datetime | None = None,
    ):
        self.values = values
        self.current = current
        self.today = today or date.today()
        self.now = now
        self.children = children
        self.position = position

    def eval(self, node):
        kind = node[0]
        if kind == "lit":
            return node[1]
        if kind == "ref":
            return self.values.get(node[1], "")
        if kind == "child":
            return "" if self.children is None else self.children.get(node[1], "")
        if kind == "dot":
            return "" if self.current is None else self.current
        if kind == "parent":
            return ""
        if kind == "neg":
            return -_as_number(self.eval(node[1]))
        if kind == "chain":
            return self.chain(node[1], node[2])
        if kind == "call":
            return self.call(node[1], node[2])
        raise InvalidExpression(_("Biểu thức không hợp lệ."))

    def chain(self, first, rest):
        op0 = rest[0][0]
        if op0 in ("and", "or"):
            result = _as_bool(self.eval(first))
            for op, part in rest:
                if op == "and" and not result:
                    return False
                if op == "or" and result:
                    return True
                result = _as_bool(self.eval(part))
            return result
        value = self.eval(first)
        for op, part in rest:
            other = self.eval(part)
            if op in ("=", "!=", "<", "<=", ">", ">="):
                value = _compare(op, value, other)
            else:
                value = _arith(op, value, other)
        return value

    def call(self, name, args):
        if name == "if":
            return self.eval(args[1]) if _as_bool(self.eval(args[0])) else self.eval(args[2])
        if name == "position":
            return float(self.position or 0)
        values = [self.eval(a) for a in args]
        if name == "not":
            return not _as_bool(values[0])
        if name == "selected":
            return _as_text(values[1]).strip() in _as_text(values[0]).split()
        if name == "count-selected":
            return float(len(_as_text(values[0]).split()))
        if name == "selected-at":
            items = _as_text(values[0]).split()
            number = _as_number(values[1])
            index = -1 if math.isnan(number) else int(number)
            return items[index] if 0 <= index < len(items) else ""
        if name == "string-length":
            return float(len(_as_text(values[0])))
        if name == "number":
            return _as_number(values[0])
        if name == "int":
            number = _as_number(values[0])
            return number if math.isnan(number) or math.isinf(number) else float(math.trunc(number))
        if name in ("string", "once"):
            return _as_text(values[0]) if name == "string" else values[0]
        if name == "boolean":
            return _as_bool(values[0])
        if name == "true":
            return True
        if name == "false":
            return False
        if name == "today":
            return self.today.isoformat()
        if name == "now":
            return (self.now or datetime.now()).isoformat(timespec="seconds")
        if name == "concat":
            return "".join(_as_text(v) for v in values)[:MAX_TEXT]
        if name == "join":
            return _as_text(values[0]).join(_as_text(v) for v in _items(values[1]))[:MAX_TEXT]
        if name == "contains":
            return _as_text(values[1]) in _as_text(values[0])
        if name == "starts-with":
            return _as_text(values[0]).startswith(_as_text(values[1]))
        if name == "ends-with":
            return _as_text(values[0]).endswith(_as_text(values[1]))
        if name == "substr":
            text = _as_text(values[0])
            start = _as_number(values[1])
            start_i = 0 if math.isnan(start) else max(int(start), 0)
            if len(values) > 2:
                stop = _as_number(values[2])
                return text[start_i : (len(text) if math.isnan(stop) else int(stop))]
            return text[start_i:]
        if name == "substring-before":
            text, sep = _as_text(values[0]), _as_text(values[1])
            return text.split(sep, 1)[0] if sep and sep in text else ""
        if name == "substring-after":
            text, sep = _as_text(values[0]), _as_text(values[1])
            return text.split(sep, 1)[1] if sep in text else ""
        if name == "normalize-space":
            return " ".join(_as_text(values[0]).split())
        if name == "regex":
            return _regex(_as_text(values[1])).search(_as_text(values[0])) is not None
        if name == "coalesce":
            return values[0] if _as_text(values[0]) != "" else values[1]
        if name == "round":
            digits = int(_as_number(values[1])) if len(values) > 1 else 0
            number = _as_number(values[0])
            if math.isnan(number) or math.isinf(number):
                return number
            return float(math.floor(number * 10**digits + 0.5) / 10**digits)
        if name in ("floor", "ceiling", "abs"):
            number = _as_number(values[0])
            if math.isnan(number) or math.isinf(number):
                return number
            return float({"floor": math.floor, "ceiling": math.ceil, "abs": abs}[name](number))
        if name == "pow":
            try:
                return float(math.pow(_as_number(values[0]), _as_number(values[1])))
            except (OverflowError, ValueError):
                return math.nan
        if name == "sum":
            return float(sum(_as_number(v) for v in _items(values[0]) if _as_text(v) != ""))
        if name == "count":
            return float(len(values[0]) if isinstance(values[0], NodeSet) else 1)
        if name == "count-non-empty":
            return float(sum(1 for v in _items(values[0]) if _as_text(v) != ""))
        if name in ("max", "min"):
            numbers = [
                _as_number(v) for value in values for v in _items(value) if _as_text(v) != ""
            ]
            if not numbers or any(math.isnan(n) for n in numbers):
                return math.nan
            return max(numbers) if name == "max" else min(numbers)
        if name == "date":
            number = _as_number(values[0])
            if math.isnan(number) or abs(number) > 3_000_000:
                return ""
            return (_EPOCH + timedelta(days=math.floor(number))).isoformat()
        if name == "decimal-date-time":
            return _as_number(values[0])
        raise InvalidExpression(_("Hàm “%(name)s” chưa được hỗ trợ.") % {"name": name})


def evaluate(
    expression: str,
    *,
    values: Mapping,
    current=None,
    today: date | None = None,
    children: Mapping | None = None,
    position: int | None = None,
):
    tree = _parsed(expression, children is not None)
    return Evaluator(values, current, today, children=children, position=position).eval(tree)


def is_true(expression: str, **kwargs) -> bool:
    return _as_bool(evaluate(expression, **kwargs))


def as_text(value) -> str:
    """A computed value as XLSForm prints it (a note's `${tip}`, a calculate's answer)."""
    if isinstance(value, float) and not math.isnan(value) and not value.is_integer():
        return f"{value:.10g}"
    return _as_text(value)


def stored_value(value):
    """A calculate's result as kept in the answers: numbers as numbers, the rest as text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return ""
        return int(value) if value.is_integer() and abs(value) < 2**53 else float(f"{value:.12g}")
    return _as_text(value)


def context_value(value):
    """An answer as an expression sees it: select_multiple as 'a b', numbers as numbers."""
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value
