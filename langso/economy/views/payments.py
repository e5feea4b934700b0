from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from langso.core.exceptions import DomainError

from .. import actions, vietqr
from ..banks import bank_by_bin
from ..forms import PaymentForm
from ..queries import default_bank_account
from ._common import get_producer


def _payment(request, producer):
    """(account, form, payload): static payload unless a valid amount was asked for."""
    account = default_bank_account(producer)
    if account is None:
        return None, None, None, None
    form = PaymentForm(request.GET if "amount" in request.GET else None)
    error = None
    amount = purpose = bill = None
    if form.is_bound and form.is_valid():
        amount = form.cleaned_data["amount"]
        purpose = form.cleaned_data["purpose"]
        bill = form.cleaned_data["bill"]
    try:
        payload = actions.payment_payload(
            account=account, amount=amount, purpose=purpose or "", bill_number=bill or ""
        )
    except DomainError as exc:
        error = exc.message
        payload = actions.payment_payload(account=account)
    return account, form, payload, error


@require_GET
def producer_qr(request, public_id):
    """Show or print a producer's VietQR: static by default, dynamic with amount + purpose."""
    producer = get_producer(request, public_id)
    account, form, payload, error = _payment(request, producer)
    return render(
        request,
        "economy/producer_qr.html",
        {
            "producer": producer,
            "account": account,
            "form": form or PaymentForm(),
            "payload": payload,
            "error": error,
            "bank": bank_by_bin(account.bank_bin) if account else None,
            "dynamic": bool(payload and vietqr.parse_payload(payload).is_dynamic),
            "query": request.GET.urlencode(),
        },
    )


@require_GET
def producer_qr_image(request, public_id, fmt):
    producer = get_producer(request, public_id)
    _account, _form, payload, _error = _payment(request, producer)
    if payload is None:
        raise Http404(_("Chủ thể chưa khai báo tài khoản nhận thanh toán."))
    if fmt == "svg":
        response = HttpResponse(vietqr.qr_svg(payload), content_type="image/svg+xml")
    else:
        response = HttpResponse(vietqr.qr_png(payload), content_type="image/png")
    response["Cache-Control"] = "public, max-age=300"
    return response
