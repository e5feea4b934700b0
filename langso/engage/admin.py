from django.contrib import admin

from langso.people.admin_scoping import ReadOnlyScopedAdmin, ScopedAdmin, ScopedInline

from .actions.announcements import save_subscription
from .models import (
    Announcement,
    AnnouncementAttachment,
    Delivery,
    DirectoryEntry,
    Feedback,
    FeedbackCategory,
    FeedbackPhoto,
    Question,
    Subscription,
    Survey,
)


@admin.register(DirectoryEntry)
class DirectoryEntryAdmin(ScopedAdmin):
    unit_field = "unit"
    list_display = ["display_name", "position", "unit", "listed", "phone_public"]
    list_filter = ["listed"]
    search_fields = ["search_key"]
    raw_id_fields = ["user"]


class AttachmentInline(ScopedInline):
    model = AnnouncementAttachment
    extra = 0
    readonly_fields = ["original_name", "content_type", "size"]
    fields = ["original_name", "content_type", "size"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # uploads are checked by content in the announcement form


@admin.register(Announcement)
class AnnouncementAdmin(ScopedAdmin):
    list_display = ["title", "commune", "audience", "status", "published_at"]
    list_filter = ["status", "audience"]
    search_fields = ["title"]
    readonly_fields = ["public_id", "status", "published_at", "author"]
    inlines = [AttachmentInline]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyScopedAdmin):
    unit_field = "announcement__commune"
    list_display = ["announcement", "resident", "channel", "state", "attempts", "sent_at"]
    list_filter = ["state", "channel"]
    readonly_fields = [f.name for f in Delivery._meta.fields]


@admin.register(Subscription)
class SubscriptionAdmin(ScopedAdmin):
    """An official records a resident's consent to receive news at the office; every save
    goes through save_subscription (consent time, who recorded it, audit)."""

    list_display = ["resident", "by_email", "by_sms", "by_zalo", "active"]
    list_filter = ["active"]
    raw_id_fields = ["resident"]
    fields = [
        "resident",
        "by_email",
        "by_sms",
        "by_zalo",
        "email",
        "phone",
        "active",
        "consent_at",
        "consent_recorded_by",
        "unsubscribed_at",
    ]
    official_writes = frozenset({"add", "change"})

    def get_readonly_fields(self, request, obj=None):
        fixed = ["active", "consent_at", "consent_recorded_by", "unsubscribed_at"]
        return ["resident", *fixed] if obj is not None else fixed

    def save_model(self, request, obj, form, change):
        saved = save_subscription(
            actor=request.user,
            resident=obj.resident,
            by_email=obj.by_email,
            by_sms=obj.by_sms,
            by_zalo=obj.by_zalo,
            email=obj.email,
            phone=obj.phone,
        )
        obj.pk = saved.pk
        obj._state.adding = False


class QuestionInline(ScopedInline):
    model = Question
    extra = 0
    fields = ["position", "name", "label", "qtype", "required", "relevant", "constraint"]


@admin.register(Survey)
class SurveyAdmin(ScopedAdmin):
    list_display = ["title", "commune", "kind", "status", "anonymous"]
    list_filter = ["status", "kind"]
    readonly_fields = ["public_id"]
    inlines = [QuestionInline]


@admin.register(FeedbackCategory)
class FeedbackCategoryAdmin(ScopedAdmin):
    list_display = ["name", "code", "commune", "deadline_working_days", "active"]


class PhotoInline(ScopedInline):
    model = FeedbackPhoto
    extra = 0
    fields = ["image", "width", "height"]
    readonly_fields = ["image", "width", "height"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Feedback)
class FeedbackAdmin(ScopedAdmin):
    list_display = ["tracking_code", "category", "status", "received_on", "deadline"]
    list_filter = ["status", "category"]
    search_fields = ["tracking_code"]
    readonly_fields = [
        "tracking_code",
        "received_on",
        "deadline",
        "answered_at",
        "rating",
        "submitted_by",
    ]
    exclude = ["secret_hash"]
    inlines = [PhotoInline]
