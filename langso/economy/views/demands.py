from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from langso.core.exceptions import DomainError
from langso.core.idempotency import form_once

from .. import actions
from ..forms import DemandForm, OfferForm
from ..queries import demands_visible_to, producers_editable_by
from ._common import form_error, market_commune


@require_GET
def demand_list(request):
    commune = market_commune(request)
    demands = demands_visible_to(request.user).filter(commune=commune)
    return render(request, "economy/demand_list.html", {"commune": commune, "demands": demands})


@login_required
def demand_new(request):
    commune = market_commune(request)
    form = DemandForm(request.POST or None)
    if request.method == "POST" and form.is_valid():

        def create() -> str:
            demand = actions.post_demand(actor=request.user, commune=commune, **form.cleaned_data)
            return reverse("economy:demand_detail", args=[demand.public_id])

        try:
            location = form_once(request, "economy.demand", create)
            messages.success(request, _("Đã đăng nhu cầu mua."))
            return redirect(location)
        except DomainError as exc:
            form_error(form, exc)
    return render(request, "economy/form.html", {"form": form, "title": _("Đăng nhu cầu mua")})


@require_GET
def demand_detail(request, public_id):
    demand = get_object_or_404(demands_visible_to(request.user), public_id=public_id)
    producers = list(producers_editable_by(request.user).filter(commune=demand.commune)[:50])
    is_buyer = request.user.is_authenticated and demand.buyer_id == request.user.pk
    offers = demand.offers.select_related("producer", "product")
    return render(
        request,
        "economy/demand_detail.html",
        {
            "demand": demand,
            "offers": offers,
            "is_buyer": is_buyer,
            "offer_form": OfferForm(producers=producers) if producers else None,
            "show_contact": request.user.is_authenticated,
        },
    )


@login_required
@require_POST
def offer_new(request, public_id):
    demand = get_object_or_404(demands_visible_to(request.user), public_id=public_id)
    producers = list(producers_editable_by(request.user).filter(commune=demand.commune))
    form = OfferForm(request.POST, producers=producers)
    if form.is_valid():
        producer = next(p for p in producers if str(p.pk) == form.cleaned_data["producer"])

        def create() -> str:
            actions.make_offer(
                actor=request.user,
                demand=demand,
                producer=producer,
                quantity=form.cleaned_data["quantity"],
                price=form.cleaned_data["price"],
                message=form.cleaned_data["message"],
            )
            return reverse("economy:demand_detail", args=[demand.public_id])

        try:
            form_once(request, "economy.offer", create)
            messages.success(request, _("Đã gửi chào hàng."))
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Chào hàng chưa hợp lệ: hãy kiểm tra số lượng và chủ thể."))
    return redirect("economy:demand_detail", public_id=demand.public_id)


@login_required
@require_POST
def demand_close(request, public_id):
    demand = get_object_or_404(demands_visible_to(request.user), public_id=public_id)
    try:
        actions.close_demand(actor=request.user, demand=demand)
        messages.success(request, _("Đã đóng nhu cầu."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("economy:demand_detail", public_id=demand.public_id)
