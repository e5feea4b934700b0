from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from langso.core import audit
from langso.core.exceptions import DomainError
from langso.core.idempotency import form_once
from langso.core.ratelimit import rate_limit
from langso.core.uploads import accepts_files

from .. import actions, queries
from ..forms import FeedbackForm, FollowForm, HandleFeedbackForm, RatingForm
from ..models import FeedbackStatus
from ..permissions import can_manage
from .common import error_status, public_commune, reader_commune

SENT_SESSION_KEY = "engage.feedback_sent"
FOLLOWED_SESSION_KEY = "engage.feedback_followed"  # {code: secret} rated from this browser


@accepts_files
@require_http_methods(["GET", "POST"])
@rate_limit("engage.feedback", per_minute=10, methods=("POST",))
def feedback_new(request):
    commune = public_commune(request)
    form = FeedbackForm(request.POST or None, request.FILES or None, commune=commune)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data

            def create() -> str:
                feedback, secret = actions.submit_feedback(
                    actor=request.user,
                    commune=commune,
                    category=data["category"],
                    text=data["text"],
                    latitude=data["latitude"],
                    longitude=data["longitude"],
                    hamlet=data["hamlet"],
                    contact_name=data["contact_name"],
                    contact_phone=data["contact_phone"],
                    photos=request.FILES.getlist("photos"),
                    publish_consent=data["publish_consent"],
                )
                # The secret is shown once, on the page this browser is sent to (and again
                # on F5 there), so it is kept in this browser's session only.
                sent = request.session.get(SENT_SESSION_KEY, {})
                sent = dict(list(sent.items())[-4:])
                sent[feedback.tracking_code] = secret
                request.session[SENT_SESSION_KEY] = sent
                return reverse("engage:feedback_sent", args=[feedback.tracking_code])

            try:
                return redirect(form_once(request, "engage.feedback", create))
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = error_status(exc)
        else:
            status = 422
    return render(
        request, "engage/feedback_new.html", {"form": form, "commune": commune}, status=status
    )


@never_cache
@require_GET
def feedback_sent(request, code):
    """The receipt of a feedback just sent from this browser: its code and secret."""
    secret = request.session.get(SENT_SESSION_KEY, {}).get(code)
    if not secret:
        raise Http404
    try:
        feedback = queries.feedback_for_follow(code=code, secret=secret, user=request.user)
    except DomainError as exc:
        raise Http404 from exc
    return render(request, "engage/feedback_sent.html", {"feedback": feedback, "secret": secret})


@require_GET
def feedback_public(request):
    commune = public_commune(request)
    page = Paginator(queries.public_feedback(commune), 30).get_page(request.GET.get("p"))
    return render(
        request,
        "engage/feedback_public.html",
        {"commune": commune, "page": page, "today": timezone.localdate()},
    )


@require_http_methods(["GET", "POST"])
@rate_limit("engage.feedback_follow", per_minute=20, methods=("POST",))
def feedback_follow(request):
    """Follow a feedback with its code and secret (or logged in as its sender); rate it."""
    data = request.POST if request.method == "POST" else (request.GET or None)
    code_asked = request.GET.get("code", "")
    remembered = request.session.get(FOLLOWED_SESSION_KEY, {}).get(code_asked)
    if request.method == "GET" and remembered and not request.GET.get("secret"):
        # back from rating it (post/redirect/get): this browser proved the secret before
        data = {"code": code_asked, "secret": remembered}
    form = FollowForm(data)
    feedback = None
    rating_form = None
    status = 200
    asked = request.method == "POST" or request.GET.get("secret") or request.user.is_authenticated
    asked = asked or bool(remembered)
    if asked and form.is_valid():
        code, secret = form.cleaned_data["code"], form.cleaned_data["secret"]
        try:
            feedback = queries.feedback_for_follow(code=code, secret=secret, user=request.user)
        except DomainError as exc:
            form.add_error(None, exc.message)
            status = 404
        if feedback is not None:
            rating_form = RatingForm(request.POST if "rating" in request.POST else None)
            if "rating" in request.POST and rating_form.is_valid():
                try:
                    actions.rate_feedback(
                        actor=request.user,
                        feedback=feedback,
                        secret=secret,
                        **rating_form.cleaned_data,
                    )
                except DomainError as exc:
                    rating_form.add_error(None, exc.message)
                    status = error_status(exc)
                else:
                    messages.success(request, _("Cảm ơn bạn đã đánh giá."))
                    if secret:
                        followed = request.session.get(FOLLOWED_SESSION_KEY, {})
                        followed = dict(list(followed.items())[-4:])
                        followed[feedback.tracking_code] = secret
                        request.session[FOLLOWED_SESSION_KEY] = followed
                    # F5 on the page that follows reloads it; it does not rate again
                    return redirect(
                        reverse("engage:feedback_follow") + f"?code={feedback.tracking_code}"
                    )
    return render(
        request,
        "engage/feedback_follow.html",
        {
            "form": form,
            "feedback": feedback,
            "rating_form": rating_form,
            "today": timezone.localdate(),
        },
        status=status,
    )


@login_required
@require_GET
def feedback_manage(request):
    commune = reader_commune(request.user)
    if commune is None:
        raise DjangoPermissionDenied
    qs = queries.feedback_visible_to(request.user).filter(commune=commune)
    status = request.GET.get("status")
    today = timezone.localdate()
    if status == "overdue":
        qs = qs.filter(
            deadline__lt=today, status__in=[FeedbackStatus.RECEIVED, FeedbackStatus.ASSIGNED]
        )
    elif status:
        qs = qs.filter(status=status)
    page = Paginator(qs.order_by("deadline", "id"), 50).get_page(request.GET.get("p"))
    return render(
        request,
        "engage/feedback_manage.html",
        {
            "commune": commune,
            "page": page,
            "today": today,
            "status": status,
            "statuses": FeedbackStatus.choices,
            "overdue": queries.overdue_feedback(commune, today).count(),
        },
    )


@login_required
@require_GET
def feedback_photo(request, code, photo_id: int):
    """A photo of a feedback, for the officials who handle it (never served at MEDIA_URL:
    residents photograph their street, their neighbours, themselves)."""
    feedback = get_object_or_404(queries.feedback_visible_to(request.user), tracking_code=code)
    if not can_manage(request.user, feedback.commune):
        raise Http404
    photo = get_object_or_404(feedback.photos, pk=photo_id)
    audit.record_read(actor=request.user, target=feedback, fields=["photo"], purpose="xử lý")
    response = FileResponse(photo.image.open("rb"), content_type=photo.content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def feedback_handle(request, code):
    feedback = get_object_or_404(
        queries.feedback_visible_to(request.user).prefetch_related("photos"), tracking_code=code
    )
    if not can_manage(request.user, feedback.commune):
        raise Http404
    form = HandleFeedbackForm(
        request.POST or None,
        commune=feedback.commune,
        initial={"department": feedback.assigned_department},
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        op = request.POST.get("op")
        data = form.cleaned_data
        try:
            if op == "assign":
                actions.assign_feedback(
                    actor=request.user,
                    feedback=feedback,
                    assignee=data["assignee"],
                    department=data["department"],
                )
            elif op == "answer":
                actions.answer_feedback(
                    actor=request.user, feedback=feedback, answer=data["answer"]
                )
            elif op == "close":
                actions.close_feedback(actor=request.user, feedback=feedback)
        except DomainError as exc:
            form.add_error(None, exc.message)
            status = error_status(exc)
        else:
            messages.success(request, _("Đã cập nhật phản ánh."))
            return redirect("engage:feedback_handle", code=code)
    audit.record_read(
        actor=request.user,
        target=feedback,
        fields=["contact_name", "contact_phone", "latitude", "longitude"],
        purpose="feedback_handling",
    )
    return render(
        request,
        "engage/feedback_handle.html",
        {"feedback": feedback, "form": form, "today": timezone.localdate()},
        status=status,
    )
