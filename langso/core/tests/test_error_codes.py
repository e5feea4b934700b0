"""Every error code the application answers is `<app>.<reason>` (docs/adr/0012-error-codes.md):
`<app>` is the app that owns the rule (the package the exception class or handler lives in)
and `<reason>` is snake_case that does not repeat the app. Adding an unprefixed code fails here.

Two checks, because codes come from two places:

(a) every `DomainError` subclass defined in `langso` (all non-test modules of `langso` and
    `config` are imported) carries a code of the scheme whose prefix is its own app;
(b) the source of every non-test module under langso/ and config/ is read (AST), and each code
    written there as a literal must fit the scheme:
    - the `code=` keyword of a call to a `DomainError` subclass (by class name), to the helpers
      that take a code (`validate`, `refusal`, `check_length`), or of any call in a `raise`
      statement except Django's `ValidationError` (its codes name a field problem for forms,
      `max_length`, `cccd_format`, and are never answered as such);
    - the third argument (or `code=`) of `error_page(request, status, code, ...)`;
    - the "code" of a dict literal that also has a "detail" key (the hand-built JSON bodies);
    - a literal assigned to a variable named `code` (`code, status = "core.query_too_long", 414`;
      not a constant: the verdict of a signature check, `code = TAMPERED`, is no error);
    - both branches of `a if condition else b` in any of these places.
    A literal string must match the scheme. An f-string is read with each placeholder as a
    word, except a leading placeholder, which is taken as an app expression (`f"{app}.invalid"`,
    `_app_of(request)`): so `f"core.http_{status}"` and `f"{app}.text_too_long"` pass and
    `f"economy.vietqr.{reason}"` does not. A module-level UPPER_CASE constant
    (`codes.MISSING_DETAIL`) is looked up among the constants of the scanned modules; any other
    expression (`exc.code`) passes on a code already checked where it was written.
Templates that write a fixed `data-code="..."` are held to the scheme too.
"""

import ast
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import config
import langso
from langso.core.exceptions import DomainError

ROOT = Path(__file__).resolve().parents[3]
APPS = (
    "core",
    "people",
    "places",
    "procedures",
    "documents",
    "economy",
    "trace",
    "society",
    "engage",
    "monitor",
    "site",
)
CODE = re.compile(rf"^({'|'.join(APPS)})\.[a-z0-9_]+$")
# settings are wiring, and the production settings refuse to load without their secrets
SKIPPED_MODULES = ("config.settings",)
CODE_TAKERS = {"validate", "refusal", "check_length"}
NOT_ERROR_CODES = {"ValidationError"}  # django.core.exceptions.ValidationError


def _is_test(name: str) -> bool:
    return any(part == "tests" or part.startswith("test_") for part in name.split("."))


def _module_names() -> list[str]:
    names = []
    for package in (langso, config):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            name = info.name
            if _is_test(name) or ".migrations" in name or name.startswith(SKIPPED_MODULES):
                continue
            names.append(name)
    return names


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub} | _subclasses(sub)
    return found


def domain_errors() -> list[type[DomainError]]:
    for name in _module_names():
        importlib.import_module(name)
    return sorted(
        (
            cls
            for cls in _subclasses(DomainError) | {DomainError}
            if cls.__module__.startswith("langso.") and not _is_test(cls.__module__)
        ),
        key=lambda cls: f"{cls.__module__}.{cls.__qualname__}",
    )


def test_the_module_list_covers_every_app():
    apps = {name.split(".")[1] for name in _module_names() if name.startswith("langso.")}
    assert set(APPS) <= apps


def test_every_domain_error_is_named_after_its_app():
    errors = domain_errors()
    assert len(errors) > 80  # the import above found the apps' exceptions
    wrong = [
        f"{cls.__module__}.{cls.__qualname__}: {cls.code!r}"
        for cls in errors
        if not CODE.match(cls.code) or cls.code.split(".")[0] != cls.__module__.split(".")[1]
    ]
    assert wrong == []


# -- (b) the codes written in the source ----------------------------------------------------


def _callee(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _constants(tree: ast.Module) -> dict[str, str]:
    """Module-level UPPER_CASE string constants: `MISSING_DETAIL = "trace.missing_detail"`."""
    found = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id.isupper():
                    if isinstance(node.value.value, str):
                        found[target.id] = node.value.value
    return found


def _written_code(node: ast.expr, constants: dict[str, str]) -> str | None:
    """The code as the scheme sees it, or None when it is not written here."""
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) else None
    if isinstance(node, ast.JoinedStr):
        parts = [
            part.value if isinstance(part, ast.Constant) else ("core" if i == 0 else "x")
            for i, part in enumerate(node.values)
        ]
        return "".join(str(p) for p in parts)
    name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")
    if name and name.isupper():
        return constants.get(name)
    return None


def _is_literal(node: ast.expr) -> bool:
    if isinstance(node, ast.IfExp):
        return _is_literal(node.body) or _is_literal(node.orelse)
    return isinstance(node, (ast.Constant, ast.JoinedStr))


def _code_nodes(tree: ast.Module, error_classes: set[str]) -> list[ast.expr]:
    raised = {
        id(node.exc)
        for node in ast.walk(tree)
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)
    }
    found: list[ast.expr] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            callee = _callee(node)
            takes_code = callee in error_classes or callee in CODE_TAKERS or callee == "error_page"
            if id(node) in raised and callee not in NOT_ERROR_CODES:
                takes_code = True
            if takes_code:
                found += [k.value for k in node.keywords if k.arg == "code"]
            if callee == "error_page" and len(node.args) > 2:
                found.append(node.args[2])
        elif isinstance(node, ast.Dict):
            keys = {
                k.value: v
                for k, v in zip(node.keys, node.values, strict=True)
                if k is not None and isinstance(k, ast.Constant)
            }
            if "code" in keys and "detail" in keys:
                found.append(keys["code"])
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                values: list[ast.expr] = []
                if isinstance(target, ast.Name) and target.id == "code":
                    values = [node.value]
                elif isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                    values = [
                        value
                        for name, value in zip(target.elts, node.value.elts, strict=False)
                        if isinstance(name, ast.Name) and name.id == "code"
                    ]
                found += [value for value in values if _is_literal(value)]
    return found


def code_problems(
    source: str, where: str, *, error_classes: set[str], constants: dict[str, str]
) -> list[str]:
    tree = ast.parse(source)
    constants = {**constants, **_constants(tree)}
    nodes = _code_nodes(tree, error_classes)
    for node in nodes:  # `a if reason else b`: both are codes (the list grows as it is read)
        if isinstance(node, ast.IfExp):
            nodes += [node.body, node.orelse]
    problems = []
    for node in sorted(nodes, key=lambda node: (node.lineno, node.col_offset)):
        code = _written_code(node, constants)
        if code is not None and not CODE.match(code):
            problems.append(f"{where}:{node.lineno}: {ast.unparse(node)}")
    return problems


def _source_files() -> list[Path]:
    files = []
    for top in ("langso", "config"):
        for path in sorted((ROOT / top).rglob("*.py")):
            parts = path.relative_to(ROOT).parts
            if "tests" in parts or "migrations" in parts or path.name.startswith("test_"):
                continue
            if path.relative_to(ROOT).as_posix().startswith("config/settings/"):
                continue
            files.append(path)
    return files


@pytest.fixture(scope="module")
def error_classes() -> set[str]:
    return {cls.__name__ for cls in domain_errors()}


def test_every_code_written_in_the_source_follows_the_scheme(error_classes):
    files = {path: path.read_text(encoding="utf-8") for path in _source_files()}
    assert len(files) > 200
    constants: dict[str, str] = {}
    for source in files.values():
        constants.update(_constants(ast.parse(source)))
    problems = []
    for path, source in files.items():
        where = path.relative_to(ROOT).as_posix()
        problems += code_problems(source, where, error_classes=error_classes, constants=constants)
    assert problems == []


BROKEN = """
from langso.core.exceptions import NotFound, ValidationFailed
from django.core.exceptions import ValidationError

DOSSIER_GONE = "dossier_gone"

class Gone(NotFound):
    code = "procedures.gone"

def view(request, app):
    raise NotFound("Không tìm thấy.", code="dossier_not_found")                 # 1
    raise Gone("Không tìm thấy.", code=DOSSIER_GONE)                             # 2
    raise SomethingElse("...", code="engage_not_allowed")                        # 3
    validate(obj, code="invalid_dossier")                                        # 4
    error_page(request, 404, "not_found", "Không tìm thấy", "...")               # 5
    body = {"code": "rate_limited", "detail": "Thử lại sau."}                    # 6
    code, status = "query_too_long", 414                                         # 7
    raise ValidationFailed("...", code=f"economy.vietqr.{reason}")               # 8
    raise ValidationFailed("...", code=f"{app}_invalid")                         # 9
    raise ValidationFailed("...", code="Procedures.Invalid")                     # 10
    raise ValidationFailed("...", code="upload.too_large")                       # 11
    body = {"code": f"{app}.too_long" if long else "validation_failed", "detail": ""}  # 12
    # fine: the scheme, an app expression, a Django form code, a code passed along
    raise NotFound("...", code="procedures.dossier_not_found")
    raise ValidationFailed("...", code=f"{app}.text_too_long")
    body = {"code": f"core.http_{status}", "detail": "..."}
    raise ValidationError("Số CCCD không hợp lệ.", code="cccd_format")
    raise Gone(exc.message, code=exc.code)
    figure = Figure(code="trace.batches", label="...")
"""


def test_the_scanner_catches_unprefixed_codes():
    problems = code_problems(
        BROKEN, "sample.py", error_classes={"NotFound", "ValidationFailed", "Gone"}, constants={}
    )
    assert [p.split(":")[1] for p in problems] == [str(n) for n in range(11, 23)]


def test_templates_write_fixed_codes_of_the_scheme():
    written = [
        (path.relative_to(ROOT).as_posix(), code)
        for path in sorted((ROOT / "langso").rglob("*.html"))
        for code in re.findall(r'data-code="([^"{]*)"', path.read_text(encoding="utf-8"))
    ]
    assert ("langso/core/templates/core/rate_limited.html", "core.rate_limited") in written
    assert [(where, code) for where, code in written if not CODE.match(code)] == []


# -- the API's own handlers -----------------------------------------------------------------


def _handled(path: str, exc: Exception) -> str:
    import json

    from django.test import RequestFactory

    from config import api as handlers

    request = RequestFactory().post(path)
    for handler in (
        handlers.domain_error,
        handlers.body_already_read,
        handlers.http_error,
        handlers.validation_error,
        handlers.model_validation_error,
        handlers.too_deep,
        handlers.not_found,
        handlers.out_of_range,
    ):
        kind = handler.__annotations__.get("exc")
        if kind is not None and isinstance(exc, kind):
            return json.loads(handler(request, exc).content)["code"]
    raise AssertionError(f"no handler for {exc!r}")


def _samples():
    from django.core.exceptions import ValidationError as DjangoValidationError
    from django.http import Http404
    from django.http.request import RawPostDataException
    from ninja.errors import HttpError, ValidationError

    return [
        (DomainError("x"), "core.domain_error"),
        (RawPostDataException(), "core.unsupported_media_type"),
        (HttpError(405, "x"), "core.http_405"),
        (
            ValidationError([{"type": "missing", "loc": ("body", "x"), "msg": "x"}]),
            "core.validation_error",
        ),
        (
            ValidationError([{"type": "string_too_long", "loc": ("x",), "msg": "x"}]),
            "procedures.text_too_long",
        ),
        (DjangoValidationError({"title": ["x"]}), "procedures.invalid"),
        (
            DjangoValidationError({"title": [DjangoValidationError("x", code="max_length")]}),
            "procedures.text_too_long",
        ),
        (RecursionError(), "core.too_deep"),
        (Http404(), "core.not_found"),
        (OverflowError(), "core.out_of_range"),
    ]


@pytest.mark.parametrize("index", range(10))
def test_every_api_handler_answers_a_code_of_the_scheme(index):
    exc, expected = _samples()[index]
    code = _handled("/api/procedures/dossiers", exc)
    assert CODE.match(code) and code == expected


def test_a_refused_model_is_named_after_the_app_that_answered():
    from django.core.exceptions import ValidationError as DjangoValidationError

    refused = DjangoValidationError({"name": ["x"]})
    assert _handled("/api/engage/surveys", refused) == "engage.invalid"
    assert _handled("/api/openapi.json", refused) == "core.invalid"


def test_the_openapi_tells_clients_the_scheme():
    from config.api import api
    from langso.core.schemas import ERROR_CODE_PATTERN

    schemas = api.get_openapi_schema()["components"]["schemas"]
    for name in ("Error", "ErrorOut", "ImportRejectedOut", "CaptureErrorOut"):
        code = schemas[name]["properties"]["code"]
        assert code["pattern"] == ERROR_CODE_PATTERN and "<app>.<reason>" in code["description"]
    assert re.match(ERROR_CODE_PATTERN, "procedures.dossier_not_found")
    assert not re.match(ERROR_CODE_PATTERN, "dossier_not_found")
