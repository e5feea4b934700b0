"""The authorization matrix of the admin: every admin page, generated from the admin site's
registry, for every role of people.Role (authz_world.ALL_ROLES).

For each registered model: the list, the add form, the add form prefilled with the other
commune's rows (`?household=<id>&resident=<id>...`, one id per foreign key), and for the
object of commune A its change page, and for the object of commune B its change, history
and delete pages and a delete POST. Each is requested as every role and checked that:

- nothing answers 5xx;
- no response shows a marker of a unit the role does not belong to (ADMIN_MARK_VIEWERS);
- someone without staff status is sent to the admin's login;
- a role with no hold on a side gets no page of that side's object, and B's object survives
  every delete POST but its own commune's.

A new admin is covered without a row to add: the pages come from `admin.site._registry`,
and test_the_world_holds_an_object_of_every_scoped_admin fails until the world has one.
"""

import functools
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib import admin
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from langso.core.tests.authz_world import (
    A_MARK,
    ADMIN_MARK_VIEWERS,
    ALL_ROLES,
    B_MARK,
    build_world,
)
from langso.people.admin_scoping import ScopedAdmin

# Roles holding something of each side (they may open its objects' pages in the admin when
# the admin's roles allow; the others may never).
SIDE_HOLDERS = {"a": ADMIN_MARK_VIEWERS[A_MARK], "b": ADMIN_MARK_VIEWERS[B_MARK]}


def _models():
    return sorted(admin.site._registry, key=lambda m: m._meta.label)


def _is_scoped(model) -> bool:
    return isinstance(admin.site._registry[model], ScopedAdmin)


def _admin_objects(side, mark, users):
    """Rows of the admin models that the page matrix's world does not need."""
    from langso.economy.models import OcopEvaluation, Offer, ProductionLinkage
    from langso.engage.models import Delivery, DirectoryEntry, Subscription
    from langso.procedures.models import ApologySlip, Rating
    from langso.society.models import (
        Alert,
        Attendance,
        Course,
        DigitalTeam,
        DiseaseCase,
        HelpSession,
        MapFeature,
        MapLayer,
        Parameter,
        Reading,
        TeamHousehold,
        TeamMember,
        TrainingSession,
    )
    from langso.trace.models import ApiKey, ScanCount, TraceEvent

    o = side.objects
    commune, resident, household = side.commune, o["resident"], o["household"]
    now = timezone.now()
    Subscription.objects.create(
        resident=resident, commune=commune, consent_at=now, by_sms=True, phone="0912000111"
    )
    DirectoryEntry.objects.create(
        user=side.official, unit=commune, display_name=f"Cán bộ {mark}", position="Văn phòng"
    )
    Delivery.objects.create(
        announcement=o["announcement"], resident=resident, channel="sms", address="0912000111"
    )
    team = DigitalTeam.objects.create(commune=commune, name=f"Tổ {mark}")
    TeamMember.objects.create(team=team, resident=resident)
    TeamHousehold.objects.create(team=team, household=household)
    HelpSession.objects.create(
        team=team, helper=side.official, topic=f"Chủ đề {mark}", occurred_at=now
    )
    course = Course.objects.create(unit=commune, title=f"Khoá {mark}")
    training = TrainingSession.objects.create(course=course, held_on=date(2026, 3, 1))
    Attendance.objects.create(session=training, resident=resident)
    reading = Reading.objects.create(
        station=o["station"],
        parameter=Parameter.objects.order_by("pk").first(),
        observed_at=now,
        value=99,
    )
    Alert.objects.create(reading=reading, station=o["station"], message=f"Cảnh báo {mark}")
    DiseaseCase.objects.create(
        commune=commune,
        hamlet=household.hamlet,
        resident=resident,
        disease=f"Bệnh {mark}",
        reported_on=date(2026, 3, 2),
    )
    layer = MapLayer.objects.filter(commune=commune).order_by("pk").first()
    MapFeature.objects.create(
        layer=layer, name=f"Điểm {mark}", geometry={"type": "Point", "coordinates": [105, 21]}
    )
    ProductionLinkage.objects.create(
        name=f"Liên kết {mark}",
        commune=commune,
        province_code=commune.province_code,
        buyer=o["producer"],
        started_on=date(2025, 1, 1),
    )
    Offer.objects.create(demand=o["demand"], producer=o["producer"], quantity=Decimal(5))
    OcopEvaluation.objects.create(
        dossier=o["ocop_dossier"],
        evaluator=side.official,
        level="commune",
        part_a=10,
        part_b=20,
        part_c=30,
        total=60,
        star=3,
    )
    ApiKey.objects.create(
        producer=o["producer"], name=f"Khoá {mark}", prefix=mark[:8], key_hash=mark
    )
    ScanCount.objects.create(batch=o["batch"], day=date(2026, 3, 1), count=1)
    TraceEvent.objects.create(
        event_id=f"urn:uuid:{mark}",
        producer=o["producer"],
        kind="planting",
        event_type="ObjectEvent",
        event_time=now,
        document={"eventID": f"urn:uuid:{mark}"},
        epcs=f"urn:{mark}",
    )
    done = o["done_dossier"]
    Rating.objects.create(dossier=done, level="satisfied", channel="online", rated_at=now)
    ApologySlip.objects.create(
        dossier=o["dossier"],
        issued_at=now,
        previous_due_at=now,
        new_due_at=now + timedelta(days=3),
        reason=f"Lý do {mark}",
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    signing = tmp_path_factory.mktemp("admin-matrix-signing")
    with (
        override_settings(
            LANGSO_SIGNING_MODE="demo",
            LANGSO_SIGNING_DIR=str(signing),
            LANGSO_TRUST_ROOTS=[],
            LANGSO_FIGURE_PROVIDERS=["langso.monitor.tests.fake_figures"],
        ),
        django_db_blocker.unblock(),
    ):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            w = build_world()
            _admin_objects(w.a, A_MARK, w.users)
            _admin_objects(w.b, B_MARK, w.users)
            # one signed-in client per role for the module (sessions outlive each test's
            # savepoint because they are made here)
            w.clients = {}
            for role in ALL_ROLES:
                client = Client()
                if w.users[role] is not None:
                    client.force_login(w.users[role])
                w.clients[role] = client
            yield w
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _side_object(world, model, side):
    """The row of `model` that belongs to the side's commune (by the admin's unit path)."""
    model_admin = admin.site._registry[model]
    commune = (world.b if side == "b" else world.a).commune
    if model._meta.label == "people.User":
        return (world.b if side == "b" else world.a).official
    if not isinstance(model_admin, ScopedAdmin):
        return model._default_manager.order_by("pk").first() if side == "a" else None
    return model._default_manager.filter(**{model_admin.unit_field: commune}).order_by("pk").first()


def _prefill(world, model, side) -> str:
    """?field=<id> for each foreign key of the model, naming `side`'s rows."""
    pairs = []
    for f in model._meta.concrete_fields:
        if (
            f.is_relation
            and (f.many_to_one or f.one_to_one)
            and f.related_model in admin.site._registry
        ):
            obj = _side_object(world, f.related_model, side)
            if obj is not None:
                pairs.append(f"{f.name}={obj.pk}")
    return "?" + "&".join(pairs) if pairs else ""


def _cases():
    for model in _models():
        label = model._meta.label
        yield pytest.param(model, "changelist", "-", id=f"{label}-changelist")
        yield pytest.param(model, "add", "-", id=f"{label}-add")
        for side in ("a", "b"):
            yield pytest.param(model, "prefill", side, id=f"{label}-prefill-{side}")
        yield pytest.param(model, "change", "a", id=f"{label}-change-a")
        # B's row as everyone (A's roles are the many): change, history, delete, delete POST
        for page in ("change", "history", "delete", "delete_post"):
            yield pytest.param(model, page, "b", id=f"{label}-{page}-b")


def _view_on_site(world):
    from django.contrib.contenttypes.models import ContentType

    resident = world.b.objects["resident"]
    ct = ContentType.objects.get_for_model(resident)
    return reverse("admin:view_on_site", args=[ct.pk, resident.pk])


def _site_cases():
    """The admin site's own pages (logout is left out: it would end the shared sessions)."""
    yield pytest.param(lambda w: reverse("admin:index"), id="index")
    for app in sorted({m._meta.app_label for m in _models()}):
        url = functools.partial(lambda app, w: reverse("admin:app_list", args=[app]), app)
        yield pytest.param(url, id=f"app-{app}")
    for name in ("login", "password_change", "password_change_done", "jsi18n"):
        yield pytest.param(functools.partial(lambda n, w: reverse(f"admin:{n}"), name), id=name)
    # Django's autocomplete answers for any foreign key whose target admin has search
    # fields (it does not ask whether the field is an autocomplete field): each answers
    # from the target admin's scoped queryset. "marker" matches both sides' private names.
    for model in _models():
        for f in model._meta.concrete_fields:
            target = admin.site._registry.get(f.related_model) if f.is_relation else None
            if target is None or not target.search_fields:
                continue
            query = (
                f"?app_label={model._meta.app_label}&model_name={model._meta.model_name}"
                f"&field_name={f.name}&term=marker"
            )
            yield pytest.param(
                functools.partial(lambda q, w: reverse("admin:autocomplete") + q, query),
                id=f"autocomplete-{model._meta.label}.{f.name}",
            )
    yield pytest.param(_view_on_site, id="view_on_site-b")


def _client(world, role):
    return world.clients[role]


def _body(response) -> str:
    return response.content.decode("utf-8", errors="replace")


def _check_common(world, role, response, where, failures):
    status = response.status_code
    body = _body(response)
    if status >= 500:
        failures.append(f"{where} as {role}: {status}")
    for mark, viewers in ADMIN_MARK_VIEWERS.items():
        if role not in viewers and mark in body:
            failures.append(f"{where} as {role}: shows {mark} (another unit's data)")
    user = world.users[role]
    if user is None or not user.is_staff:
        to_login = status == 302 and reverse("admin:login") in response.get("Location", "")
        if not to_login:
            failures.append(f"{where} as {role}: {status}, not sent to the admin's login")


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "page", "side"), list(_cases()))
def test_admin_page(world, model, page, side):
    info = (model._meta.app_label, model._meta.model_name)
    if page in ("changelist", "add"):
        url = reverse("admin:{}_{}_{}".format(*info, page))
    elif page == "prefill":
        other = "a" if side == "b" else "b"
        url = reverse("admin:{}_{}_add".format(*info)) + _prefill(world, model, other)
    else:
        obj = _side_object(world, model, side)
        if obj is None:
            assert not _is_scoped(model) or (side == "b" and model._meta.label == "people.User")
            return  # national data: one object, tried on side a
        name = "delete" if page == "delete_post" else page
        url = reverse("admin:{}_{}_{}".format(*info, name), args=[obj.pk])

    failures: list[str] = []
    for role in ALL_ROLES:
        client = _client(world, role)
        if page == "delete_post":
            response = client.post(url, {"post": "yes"})
            if role != "official_b" and not model._default_manager.filter(pk=obj.pk).exists():
                failures.append(f"POST {url} as {role}: deleted B's row")
        else:
            response = client.get(url)
        where = f"{'POST' if page == 'delete_post' else 'GET'} {url}"
        _check_common(world, role, response, where, failures)
        if page in ("change", "history", "delete") and _is_scoped(model):
            if role not in SIDE_HOLDERS[side] and response.status_code == 200:
                failures.append(f"{where} as {role}: 200 on another unit's row")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("make_url", list(_site_cases()))
def test_admin_site_page(world, make_url):
    url = make_url(world)
    failures: list[str] = []
    for role in ALL_ROLES:
        response = _client(world, role).get(url)
        status = response.status_code
        body = _body(response)
        if status >= 500:
            failures.append(f"GET {url} as {role}: {status}")
        for mark, viewers in ADMIN_MARK_VIEWERS.items():
            if role not in viewers and mark in body:
                failures.append(f"GET {url} as {role}: shows {mark}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_the_world_holds_an_object_of_every_scoped_admin_on_both_sides(world):
    missing = [
        f"{model._meta.label} ({side})"
        for model in _models()
        if _is_scoped(model)
        for side in ("a", "b")
        if _side_object(world, model, side) is None
    ]
    assert not missing, f"add rows to test_admin_matrix._admin_objects: {missing}"


@pytest.mark.django_db
def test_the_markers_are_there_to_be_found(world):
    """The matrix is not vacuous: each side's own official sees its markers in the admin."""
    for role, mark, url in [
        ("official_a", A_MARK, "/admin/people/resident/"),
        ("official_b", B_MARK, "/admin/people/resident/"),
        ("official_b", B_MARK, "/admin/engage/subscription/"),
    ]:
        assert mark in _body(_client(world, role).get(url)), (role, url)
