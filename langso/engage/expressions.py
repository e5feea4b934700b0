"""A small, safe evaluator for the XPath subset XLSForm uses in `relevant` and `constraint`.

Supported: `${field}`, `.`, numbers, 'strings', = != < <= > >=, + - * div mod, unary minus,
and / or, parentheses, and the functions in FUNCTIONS (not, selected, count-selected,
string-length, regex, if, coalesce, today...). Expressions are parsed into a tuple tree and
interpreted; nothing is ever passed to Python's eval. Unknown functions are refused when the
form is imported, so a form never fails later while a resident fills it in.
"""

import math
import re
from datetime import date

from django.utils.translation import gettext as _

from .exceptions import InvalidExpression

_TOKEN = re.compile(
    r"""
    \s*(?:
      (?P<ref>\$\{(?P<refname>[A-Za-z_][\w.\-]*)\})
     |(?P<num>\d+(?:\.\d*)?|\.\d+)
     |(?P<str>'[^']*'|"[^"]*")
     |(?P<op><=|>=|!=|=|<|>|\+|-|\*|\(|\)|,)
     |(?P<dot>\.)
     |(?P<name>[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z_][A-Za-z0-9_]*)*)
    )""",
    re.VERBOSE,
)

MAX_LENGTH = 1000


def tokenize(text: str) -> list[tuple[str, str]]:
    tokens = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise InvalidExpression(
                _("Biểu thức không hợp lệ gần “%(near)s”.") % {"near": text[pos : pos + 15].strip()}
            )
        pos = m.end()
        kind = m.lastgroup if m.lastgroup != "refname" else "ref"
        if m.group("ref"):
            tokens.append(("ref", m.group("refname")))
        elif m.group("num"):
            tokens.append(("num", m.group("num")))
        elif m.group("str"):
            tokens.append(("str", m.group("str")[1:-1]))
        elif m.group("op"):
            tokens.append(("op", m.group("op")))
        elif m.group("dot"):
            tokens.append(("dot", "."))
        else:
            name = m.group("name")
            tokens.append(("kw", name) if name in ("and", "or", "div", "mod") else (kind, name))
    return tokens


FUNCTIONS = {
    "not": (1, 1),
    "selected": (2, 2),
    "count-selected": (1, 1),
    "string-length": (1, 1),
    "number": (1, 1),
    "int": (1, 1),
    "string": (1, 1),
    "boolean": (1, 1),
    "true": (0, 0),
    "false": (0, 0),
    "today": (0, 0),
    "concat": (1, 20),
    "contains": (2, 2),
    "starts-with": (2, 2),
    "regex": (2, 2),
    "if": (3, 3),
    "coalesce": (2, 2),
    "round": (1, 2),
    "selected-at": (2, 2),
}


class _Parser:
    def __init__(self, tokens):
        self.tokens = tokens
        self.i = 0

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else ("end", "")

    def take(self):
        tok = self.peek()
        self.i += 1
        return tok

    def expect(self, value):
        tok = self.take()
        if tok[1] != value or tok[0] not in ("op",):
            raise InvalidExpression(_("Thiếu “%(what)s” trong biểu thức.") % {"what": value})

    def parse(self):
        node = self.or_()
        if self.peek()[0] != "end":
            raise InvalidExpression(_("Biểu thức thừa “%(near)s”.") % {"near": self.peek()[1]})
        return node

    def _binary(self, sub, ops):
        node = sub()
        while self.peek()[1] in ops and self.peek()[0] in ("op", "kw"):
            op = self.take()[1]
            node = ("bin", op, node, sub())
        return node

    def or_(self):
        return self._binary(self.and_, ("or",))

    def and_(self):
        return self._binary(self.eq, ("and",))

    def eq(self):
        return self._binary(self.rel, ("=", "!="))

    def rel(self):
        return self._binary(self.add, ("<", "<=", ">", ">="))

    def add(self):
        return self._binary(self.mul, ("+", "-"))

    def mul(self):
        return self._binary(self.unary, ("*", "div", "mod"))

    def unary(self):
        if self.peek() == ("op", "-"):
            self.take()
            return ("neg", self.unary())
        return self.primary()

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
        if kind == "op" and value == "(":
            node = self.or_()
            self.expect(")")
            return node
        if kind == "name":
            if value not in FUNCTIONS:
                raise InvalidExpression(_("Hàm “%(name)s” chưa được hỗ trợ.") % {"name": value})
            self.expect("(")
            args = []
            if self.peek() != ("op", ")"):
                args.append(self.or_())
                while self.peek() == ("op", ","):
                    self.take()
                    args.append(self.or_())
            self.expect(")")
            low, high = FUNCTIONS[value]
            if not low <= len(args) <= high:
                raise InvalidExpression(_("Hàm “%(name)s” nhận sai số đối số.") % {"name": value})
            return ("call", value, args)
        raise InvalidExpression(_("Biểu thức không hợp lệ gần “%(near)s”.") % {"near": value})


def parse(text: str):
    if len(text) > MAX_LENGTH:
        raise InvalidExpression(_("Biểu thức quá dài."))
    tokens = tokenize(text)
    if not tokens:
        raise InvalidExpression(_("Biểu thức rỗng."))
    return _Parser(tokens).parse()


def references(node) -> set[str]:
    """Names of the fields an expression reads (${name})."""
    if node[0] == "ref":
        return {node[1]}
    out: set[str] = set()
    for part in node[1:]:
        if isinstance(part, tuple):
            out |= references(part)
        elif isinstance(part, list):
            for arg in part:
                out |= references(arg)
    return out


# --- evaluation ---------------------------------------------------------------------------

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, list | tuple):
        return " ".join(_as_text(v) for v in value)
    return str(value)


def _as_number(value) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(_as_text(value).strip())
    except ValueError:
        return math.nan


def _as_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0 and not math.isnan(value)
    return _as_text(value) != ""


def _compare(op, left, right) -> bool:
    if isinstance(left, bool) or isinstance(right, bool):
        a, b = _as_bool(left), _as_bool(right)
        return (
            {"=": a == b, "!=": a != b}.get(op, False)
            if op in ("=", "!=")
            else _relate(op, float(a), float(b))
        )
    if op in ("=", "!="):
        if isinstance(left, float) or isinstance(right, float):
            a, b = _as_number(left), _as_number(right)
            equal = a == b
        else:
            equal = _as_text(left) == _as_text(right)
        return equal if op == "=" else not equal
    lt, rt = _as_text(left), _as_text(right)
    if _ISO_DATE.match(lt) and _ISO_DATE.match(rt):
        return _relate(op, lt, rt)
    return _relate(op, _as_number(left), _as_number(right))


def _relate(op, a, b) -> bool:
    if isinstance(a, float) and (math.isnan(a) or math.isnan(b)):
        return False
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]


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


class Evaluator:
    def __init__(self, values: dict, current=None, today: date | None = None):
        self.values = values
        self.current = current
        self.today = today or date.today()

    def eval(self, node):
        kind = node[0]
        if kind == "lit":
            return node[1]
        if kind == "ref":
            return self.values.get(node[1], "")
        if kind == "dot":
            return "" if self.current is None else self.current
        if kind == "neg":
            return -_as_number(self.eval(node[1]))
        if kind == "bin":
            op, left = node[1], node[2]
            if op == "and":
                return _as_bool(self.eval(left)) and _as_bool(self.eval(node[3]))
            if op == "or":
                return _as_bool(self.eval(left)) or _as_bool(self.eval(node[3]))
            a, b = self.eval(left), self.eval(node[3])
            if op in ("=", "!=", "<", "<=", ">", ">="):
                return _compare(op, a, b)
            return _arith(op, a, b)
        if kind == "call":
            return self.call(node[1], node[2])
        raise InvalidExpression(_("Biểu thức không hợp lệ."))

    def call(self, name, args):
        if name == "if":
            return self.eval(args[1]) if _as_bool(self.eval(args[0])) else self.eval(args[2])
        values = [self.eval(a) for a in args]
        if name == "not":
            return not _as_bool(values[0])
        if name == "selected":
            return _as_text(values[1]).strip() in _as_text(values[0]).split()
        if name == "count-selected":
            return float(len(_as_text(values[0]).split()))
        if name == "selected-at":
            items = _as_text(values[0]).split()
            index = int(_as_number(values[1])) if not math.isnan(_as_number(values[1])) else -1
            return items[index] if 0 <= index < len(items) else ""
        if name == "string-length":
            return float(len(_as_text(values[0])))
        if name == "number":
            return _as_number(values[0])
        if name == "int":
            number = _as_number(values[0])
            return math.nan if math.isnan(number) else float(math.trunc(number))
        if name == "string":
            return _as_text(values[0])
        if name == "boolean":
            return _as_bool(values[0])
        if name == "true":
            return True
        if name == "false":
            return False
        if name == "today":
            return self.today.isoformat()
        if name == "concat":
            return "".join(_as_text(v) for v in values)
        if name == "contains":
            return _as_text(values[1]) in _as_text(values[0])
        if name == "starts-with":
            return _as_text(values[0]).startswith(_as_text(values[1]))
        if name == "regex":
            text = _as_text(values[0])[:500]
            try:
                return re.search(_as_text(values[1]), text) is not None
            except re.error as exc:
                raise InvalidExpression(_("Biểu thức chính quy không hợp lệ.")) from exc
        if name == "coalesce":
            return values[0] if _as_text(values[0]) != "" else values[1]
        if name == "round":
            digits = int(_as_number(values[1])) if len(values) > 1 else 0
            number = _as_number(values[0])
            return number if math.isnan(number) else float(round(number, digits))
        raise InvalidExpression(_("Hàm “%(name)s” chưa được hỗ trợ.") % {"name": name})


def evaluate(expression: str, *, values: dict, current=None, today: date | None = None):
    return Evaluator(values, current, today).eval(parse(expression))


def is_true(expression: str, *, values: dict, current=None, today: date | None = None) -> bool:
    return _as_bool(evaluate(expression, values=values, current=current, today=today))


def context_value(value):
    """An answer as an expression sees it: select_multiple as 'a b', numbers as numbers."""
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value
