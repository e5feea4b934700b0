"""The admin, scoped like the pages.

An official sees in the admin exactly what `unit_scope_q` lets them see elsewhere, and
nothing of another unit leaks through the admin's side doors:

- lists, change pages, history and deletes: `get_queryset` keeps the official's units;
- every foreign-key and many-to-many choice (select, raw-id field and its label, filter
  sidebar, inline rows) is limited to rows of the official's units: a `?household=<id>`
  prefill of another commune renders nothing, and a POST naming another unit's row fails
  form validation before anything is written;
- the related model is scoped by its own registered admin (its `get_queryset`), so one rule
  serves every field that points at it. A related model that is neither scoped nor declared
  public reference data (`PUBLIC_MODELS`) offers NO choice to an official: fail closed.

Writes. An official writes in the admin only where the admin routes the write to the app's
action (validation, version checks, audit): `official_writes` names which of "add",
"change", "delete" are routed; everything else is look-only for officials and done on the
pages. Superusers keep the plain admin as the repair path, each change audit-logged. The list
of models and what officials may do with each is in docs/architecture.md ("The admin").
"""

from django.contrib import admin, messages
from django.contrib.admin.filters import RelatedOnlyFieldListFilter
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Q
from django.http import HttpResponseRedirect

from langso.core import audit
from langso.core.exceptions import DomainError
from langso.core.models import AuditAction
from langso.places.models import AdminUnit

from .models import OFFICIAL_ROLES
from .permissions import is_official, scoped_unit_ids, unit_scope_q, user_cache

#: National reference data an official may pick from (not any unit's private data).
PUBLIC_MODELS = frozenset(
    {
        "places.adminunit",  # scoped below to the official's units all the same
        "procedures.holiday",
        "economy.ocopcriteriaset",
        "economy.ocopcriterion",
        "monitor.criteriaset",
        "monitor.criterion",
        "monitor.indicator",
        "monitor.threshold",
        "monitor.target",
        "society.parameter",
        "society.limit",
    }
)

#: Unit-scoped models that have no admin of their own (path to their commune).
UNREGISTERED_UNIT_PATHS = {
    "society.healthrecord": "commune",
    "engage.feedback": "commune",
    "monitor.assessment": "unit",
}


def _label(model) -> str:
    return model._meta.label_lower


def related_choices(request, model, admin_site, roles=OFFICIAL_ROLES):
    """The rows of `model` that `request.user` may pick in a form, whatever field points
    at it. Superusers: all."""
    user = request.user
    qs = model._default_manager.all()
    if user.is_superuser:
        return qs
    label = _label(model)
    if label == "places.adminunit":
        return qs.filter(unit_scope_q(user, "self", roles))
    if model is get_user_model():
        # people holding a role in the official's units, and accounts with no role yet
        # (a new colleague to be given one); never another unit's people.
        mine = unit_scope_q(user, "roles__unit", None)
        return qs.filter(mine | Q(roles__isnull=True)).distinct()
    model_admin = admin_site._registry.get(model)
    if isinstance(model_admin, ScopedAdmin):
        return model_admin.get_queryset(request)
    if label in UNREGISTERED_UNIT_PATHS:
        return qs.filter(unit_scope_q(user, UNREGISTERED_UNIT_PATHS[label], roles))
    if label in PUBLIC_MODELS:
        return qs
    return qs.none()


class ScopedRawIdWidget(ForeignKeyRawIdWidget):
    """A raw-id field whose label (the name shown next to the id) is looked up among the
    field's choices only: `?resident=<another commune's id>` shows no name."""

    def __init__(self, rel, admin_site, attrs=None, using=None, *, queryset):
        super().__init__(rel, admin_site, attrs, using)
        self.queryset = queryset

    def label_and_url_for_value(self, value):
        key = self.rel.get_related_field().name
        try:
            allowed = self.queryset.filter(**{key: value}).exists()
        except (ValueError, TypeError, ValidationError):
            return "", ""
        if not allowed:
            return "", ""
        return super().label_and_url_for_value(value)


class ScopedChoicesMixin:
    """Foreign-key and many-to-many choices limited to the user's units (admins and
    inlines)."""

    scope_roles: frozenset[str] = OFFICIAL_ROLES

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            kwargs["queryset"] = related_choices(
                request, db_field.related_model, self.admin_site, self.scope_roles
            )
        if "widget" not in kwargs and db_field.name in self.raw_id_fields:
            kwargs["widget"] = ScopedRawIdWidget(
                db_field.remote_field,
                self.admin_site,
                using=kwargs.get("using"),
                queryset=kwargs["queryset"],
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            kwargs["queryset"] = related_choices(
                request, db_field.related_model, self.admin_site, self.scope_roles
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ScopedInline(ScopedChoicesMixin, admin.TabularInline):
    """Inline rows of a scoped admin (shown only inside the parent's scoped page); their own
    foreign keys are scoped too. Officials hold no Django model permission, so they see an
    inline only where `official_access` says so ("view", "add", "change", "delete"); the
    parent admin routes those writes to an action in `save_formset`."""

    extra = 0
    official_access: frozenset[str] = frozenset()

    def _official(self, request, kind: str) -> bool:
        user = request.user
        return bool(
            kind in self.official_access and user.is_active and user.is_staff and is_official(user)
        )

    def has_view_permission(self, request, obj=None):
        return self._official(request, "view") or super().has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return self._official(request, "add") or super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._official(request, "change") or super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._official(request, "delete") or super().has_delete_permission(request, obj)


class ScopedAdmin(ScopedChoicesMixin, admin.ModelAdmin):
    #: path from the model to a commune-level AdminUnit FK, e.g. "commune" or "producer__commune"
    unit_field = "commune"
    #: roles that give access to this model in the admin
    scope_roles: frozenset[str] = OFFICIAL_ROLES
    #: writes an official may make here; each must be routed to an action by the subclass
    #: (`save_model` / `delete_model` / `save_formset`). Empty: officials only look.
    official_writes: frozenset[str] = frozenset()

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs.filter(unit_scope_q(request.user, self.unit_field, self.scope_roles))

    def get_list_select_related(self, request):
        """The list's foreign keys in one query with the rows, a unit with its parent (its
        name reads "Xã A, Tỉnh B"): Django's default leaves out nullable keys, one query a
        row each."""
        if self.list_select_related is not False:
            return self.list_select_related
        paths = []
        for name in self.get_list_display(request):
            try:
                field = self.model._meta.get_field(name) if isinstance(name, str) else None
            except FieldDoesNotExist:
                continue
            if field is None or not (field.many_to_one or field.one_to_one):
                continue
            paths.append(f"{name}__parent" if field.related_model is AdminUnit else name)
        return paths or False

    def _allowed(self, request, obj=None) -> bool:
        user = request.user
        if obj is None:
            return self._may_open(user)
        if not (user.is_active and user.is_staff):
            return False
        if user.is_superuser:
            return True
        if not scoped_unit_ids(user, self.scope_roles):
            return False
        return self.get_queryset(request).filter(pk=obj.pk).exists()

    def _may_open(self, user) -> bool:
        """May `user` open this admin at all? Asked of every registered model on each admin
        page (the side bar), so the answer is kept for the request (people.permissions)."""
        cache, key = user_cache(user), ("admin", self.scope_roles)
        if key not in cache:
            cache[key] = bool(
                user.is_active
                and user.is_staff
                and (
                    user.is_superuser
                    or (scoped_unit_ids(user, self.scope_roles) and is_official(user))
                )
            )
        return cache[key]

    def _may_write(self, request, kind: str, obj=None) -> bool:
        if not self._allowed(request, obj):
            return False
        return request.user.is_superuser or kind in self.official_writes

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._may_write(request, "change", obj)

    def has_add_permission(self, request):
        return self._may_write(request, "add")

    def has_delete_permission(self, request, obj=None):
        return self._may_write(request, "delete", obj)

    def get_list_filter(self, request):
        """A filter on a relation lists only the related rows present in the user's
        queryset, never every commune's hamlets or categories."""
        out = []
        for spec in super().get_list_filter(request):
            if isinstance(spec, str) and self._is_relation_path(spec):
                spec = (spec, RelatedOnlyFieldListFilter)
            out.append(spec)
        return out

    def _is_relation_path(self, path: str) -> bool:
        model = self.model
        field = None
        for part in path.split("__"):
            try:
                field = model._meta.get_field(part)
            except FieldDoesNotExist:
                return False
            model = field.related_model
            if model is None:
                return False
        return field is not None and field.is_relation

    # A refused action re-shows the form with its message; the transaction of the admin
    # view is rolled back, so nothing of the attempt is kept.
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as exc:
            self.message_user(request, exc.message, level=messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except DomainError as exc:
            self.message_user(request, exc.message, level=messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit.record_change(
            actor=request.user,
            action=AuditAction.UPDATE if change else AuditAction.CREATE,
            target=obj,
            changed=form.changed_data if form else (),
        )

    def delete_model(self, request, obj):
        audit.record_change(actor=request.user, action=AuditAction.DELETE, target=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class ReadOnlyScopedAdmin(ScopedAdmin):
    """Unit-scoped records that only actions may write (history, deliveries, counters):
    officials and superusers may look, never add or change; `deletable = False` also refuses
    deletes (superusers may delete otherwise)."""

    deletable = True

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return self.deletable and super().has_delete_permission(request, obj)


def unscoped_relations(admin_site) -> list[str]:
    """Relations from a scoped admin (or its inlines) to a model that would offer an
    official no choice because it is neither scoped nor public: a list for the tests."""
    out = []
    for model, model_admin in admin_site._registry.items():
        if not isinstance(model_admin, ScopedAdmin):
            continue
        models = [model] + [inline.model for inline in model_admin.inlines]
        for m in models:
            for f in m._meta.get_fields():
                if not (f.is_relation and f.concrete and (f.many_to_one or f.many_to_many)):
                    continue
                rel = f.related_model
                if rel is None or rel is get_user_model():
                    continue
                label = _label(rel)
                if isinstance(admin_site._registry.get(rel), ScopedAdmin):
                    continue
                if label in PUBLIC_MODELS or label in UNREGISTERED_UNIT_PATHS:
                    continue
                out.append(f"{_label(m)}.{f.name} -> {label}")
    return sorted(set(out))


__all__ = [
    "PUBLIC_MODELS",
    "ReadOnlyScopedAdmin",
    "ScopedAdmin",
    "ScopedInline",
    "ScopedRawIdWidget",
    "related_choices",
    "unscoped_relations",
]
