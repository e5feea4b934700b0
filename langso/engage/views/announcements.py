from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from langso.core import audit
from langso.core.exceptions import DomainError
from langso.core.idempotency import form_once
from langso.core.uploads import accepts_files

from .. import actions, queries
from ..channels import fake_channels
from ..delivery import subscription_from_token
from ..forms import AnnouncementForm, SubscriptionForm
from ..models import Channel
from ..permissions import can_manage
from .common import error_status, official_commune, public_commune


@require_GET
def announcements(request):
    commune = public_commune(request)
    page = Paginator(queries.public_announcements(commune), 20).get_page(request.GET.get("p"))
    return render(
        request,
        "engage/announcements.html",
        {"commune": commune, "page": page, "can_publish": can_manage(request.user, commune)},
    )


@require_GET
def announcement_detail(request, public_id):
    item = get_object_or_404(
        queries.announcements_visible_to(request.user).prefetch_related("attachments"),
        public_id=public_id,
    )
    manager = can_manage(request.user, item.commune)
    summary = queries.delivery_summary(item) if manager else None
    return render(
        request,
        "engage/announcement_detail.html",
        {
            "item": item,
            "summary": summary,
            "can_manage": manager,
            "fake_channels": _fake_channel_labels() if manager else [],
        },
    )


def _fake_channel_labels() -> list[str]:
    return [str(Channel(c).label) for c in fake_channels()]


@accepts_files
@login_required
@require_http_methods(["GET", "POST"])
def announcement_new(request):
    commune = official_commune(request.user)
    if commune is None:
        raise DjangoPermissionDenied
    form = AnnouncementForm(request.POST or None, request.FILES or None, commune=commune)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data

            def create() -> str:
                item = actions.create_announcement(
                    actor=request.user,
                    commune=commune,
                    title=data["title"],
                    body=data["body"],
                    audience=data["audience"],
                    hamlet=data["hamlet"],
                    group=data["group"],
                    attachments=request.FILES.getlist("attachments"),
                )
                return reverse("engage:announcement_deliveries", args=[item.public_id])

            try:
                location = form_once(request, "engage.announcement", create)
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = error_status(exc)
            else:
                messages.success(request, _("Đã đăng thông báo."))
                return redirect(location)
        else:
            status = 422
    return render(
        request, "engage/announcement_new.html", {"form": form, "commune": commune}, status=status
    )


@login_required
@require_POST
def announcement_withdraw(request, public_id):
    item = get_object_or_404(queries.announcements_visible_to(request.user), public_id=public_id)
    if not can_manage(request.user, item.commune):
        raise Http404
    actions.withdraw_announcement(actor=request.user, announcement=item)
    messages.success(request, _("Đã gỡ thông báo; các tin chưa gửi đã được huỷ."))
    return redirect("engage:announcement_detail", public_id=public_id)


@login_required
@require_GET
def announcement_deliveries(request, public_id):
    """Each recipient's delivery state (personal data: officials of the commune only)."""
    item = get_object_or_404(queries.announcements_visible_to(request.user), public_id=public_id)
    if not can_manage(request.user, item.commune):
        raise Http404
    rows = (
        queries.deliveries_visible_to(request.user)
        .filter(announcement=item)
        .order_by("state", "resident__full_name")
    )
    state = request.GET.get("state")
    if state:
        rows = rows.filter(state=state)
    page = Paginator(rows, 100).get_page(request.GET.get("p"))
    audit.record_read(
        actor=request.user, target=item, fields=["deliveries.address"], purpose="delivery_status"
    )
    return render(
        request,
        "engage/announcement_deliveries.html",
        {
            "item": item,
            "page": page,
            "summary": queries.delivery_summary(item),
            "state": state,
            "fake_channels": _fake_channel_labels(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def subscription(request):
    resident = getattr(request.user, "resident", None)
    if resident is None:
        raise DjangoPermissionDenied
    current = queries.subscription_of(resident)
    initial = {"email": request.user.email, "phone": resident.phone}
    if current:
        initial = {
            "by_email": current.by_email,
            "by_sms": current.by_sms,
            "by_zalo": current.by_zalo,
            "email": current.email,
            "phone": current.phone,
        }
    form = SubscriptionForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.save_subscription(
                    actor=request.user, resident=resident, **form.cleaned_data
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = error_status(exc)
            else:
                messages.success(request, _("Đã lưu lựa chọn nhận thông báo."))
                return redirect("engage:subscription")
        else:
            status = 422
    return render(
        request,
        "engage/subscription.html",
        {"form": form, "current": current, "fake_channels": _fake_channel_labels()},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """From the link in a message, without login. GET asks, POST does it (mail scanners
    follow links; they must not unsubscribe anybody)."""
    subscription_id = subscription_from_token(token)
    sub = queries.subscription_by_id(subscription_id) if subscription_id else None
    if sub is None:
        return render(request, "engage/unsubscribe.html", {"invalid": True}, status=404)
    done = False
    if request.method == "POST":
        sub = actions.unsubscribe(subscription_id=sub.pk)
        done = True
    return render(request, "engage/unsubscribe.html", {"sub": sub, "done": done})
