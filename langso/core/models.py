from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        abstract = True


class AuditAction(models.TextChoices):
    CREATE = "create", _("Tạo mới")
    UPDATE = "update", _("Cập nhật")
    DELETE = "delete", _("Xoá")
    READ = "read", _("Xem dữ liệu cá nhân")
    EXPORT = "export", _("Xuất dữ liệu")
    IMPORT = "import", _("Nhập dữ liệu")
    REFUSED = "refused", _("Bị từ chối truy cập")
    LOGIN = "login", _("Đăng nhập")


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):  # type: ignore[override]
        raise RuntimeError("Audit events are append-only.")

    def delete(self):  # type: ignore[override]
        raise RuntimeError("Audit events are append-only.")


class AuditEvent(models.Model):
    """One append-only line of the audit log: who did what to which object, when, from where.

    Rows are never updated or deleted by the application; on PostgreSQL a trigger refuses
    it at the database too (see migration 0002).
    """

    at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    # No database constraint and no cascade: deleting a user or unit must never rewrite the
    # log (actor_repr keeps the name).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_repr = models.CharField(_("người thực hiện"), max_length=150, blank=True)
    action = models.CharField(_("hành động"), max_length=16, choices=AuditAction.choices)
    object_type = models.CharField(_("loại đối tượng"), max_length=100)
    object_id = models.CharField(_("mã đối tượng"), max_length=64, blank=True)
    object_repr = models.CharField(_("đối tượng"), max_length=200, blank=True)
    unit = models.ForeignKey(
        "places.AdminUnit",
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    fields = models.JSONField(_("trường / thay đổi"), default=dict, blank=True)
    purpose = models.CharField(_("mục đích"), max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    user_agent = models.CharField(_("trình duyệt"), max_length=200, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhật ký truy cập")
        verbose_name_plural = _("nhật ký truy cập")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["unit", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_repr} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("Audit events are append-only.")

    def object_type_display(self) -> str:
        """The kind of object as a reader says it ("hồ sơ thủ tục"), not "procedures.dossier"."""
        from django.apps import apps

        try:
            return str(apps.get_model(self.object_type)._meta.verbose_name)
        except (LookupError, ValueError):
            return self.object_type

    def fields_display(self) -> str:
        """ "Đã sửa: trạng thái, ghi chú" / "Đã xem: số định danh" from the stored field names,
        in the model's own words; other details as "key: value" lines, never a Python dict."""
        from django.apps import apps

        try:
            meta = apps.get_model(self.object_type)._meta
        except (LookupError, ValueError):
            meta = None

        def label(name: str) -> str:
            if meta is not None:
                try:
                    return str(meta.get_field(name).verbose_name)
                except FieldDoesNotExist:  # not a model field: keep its name
                    return name
            return name

        heads = {"changed": _("Đã sửa"), "read": _("Đã xem")}
        parts = []
        details = self.fields if isinstance(self.fields, dict) else {"": self.fields}
        for key, value in details.items():
            if isinstance(value, list | tuple):
                shown = ", ".join(label(str(v)) for v in value)
            else:
                shown = str(value)
            head = heads.get(key, key)
            parts.append(f"{head}: {shown}" if head else shown)
        return "; ".join(parts)


class DemoRun(models.Model):
    """Which app's demo data has been loaded, so `langso demo` prepares each only once."""

    app = models.CharField(max_length=40, unique=True)
    finished_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dữ liệu mẫu đã nạp")
        verbose_name_plural = _("dữ liệu mẫu đã nạp")

    def __str__(self) -> str:
        return self.app


class WorkerHeartbeat(models.Model):
    """The last sign of life of one task worker (`langso db_worker`), for `/readyz`.

    Each worker process refreshes its row every few seconds from a small thread; a row not
    refreshed for LANGSO_WORKER_STALE_SECONDS means the worker is gone or stuck.
    """

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True)
    started_at = models.DateTimeField()
    last_seen_at = models.DateTimeField(db_index=True)
    running_task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("nhịp hoạt động của tiến trình nền")
        verbose_name_plural = _("nhịp hoạt động của tiến trình nền")

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.hostname}:{self.pid})"


class ScheduledRun(models.Model):
    """One claimed slot of a periodic job (see `langso/core/schedule.py`): the unique
    (job, slot) pair is what lets only one of several workers start each run."""

    job = models.CharField(max_length=100)
    slot = models.BigIntegerField()
    claimed_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("lượt chạy định kỳ")
        verbose_name_plural = _("lượt chạy định kỳ")
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="scheduledrun_once")]

    def __str__(self) -> str:
        return f"{self.job} #{self.slot}"


class IdempotencyRecord(models.Model):
    """The first answer to one submission, kept so that a repeat gets it again instead of
    creating a second row (see `langso/core/idempotency.py`).

    The unique constraint is the guarantee: two concurrent requests with the same key cannot
    both insert their row, so only one of them runs the create.
    """

    scope = models.CharField(max_length=100)
    owner = models.CharField(max_length=100)
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, blank=True)
    status = models.PositiveSmallIntegerField(default=0)
    body = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("lần gửi đã nhận")
        verbose_name_plural = _("lần gửi đã nhận")
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "owner", "key"], name="core_idempotency_once_per_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}"
