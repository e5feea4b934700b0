from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from langso.core.exceptions import DomainError
from langso.core.uploads import accepts_files

from .. import actions
from ..forms import (
    BankAccountForm,
    CertificateForm,
    GrowingAreaForm,
    LinkageForm,
    MemberForm,
    PhotoForm,
    ProducerForm,
    ProductForm,
)
from ..models import ProducerKind
from ..permissions import can_create_producer, can_edit_producer
from ..queries import (
    certificate_status,
    certificates_visible_to,
    growing_areas_visible_to,
    linkages_visible_to,
    producers_by_ids,
    producers_of,
)
from ._common import editable_producer, form_error, get_producer, get_product, market_commune


@require_GET
def producer_list(request):
    commune = market_commune(request)
    kind = request.GET.get("kind", "")
    qs = producers_of(commune)
    if kind in ProducerKind.values:
        qs = qs.filter(kind=kind)
    return render(
        request,
        "economy/producer_list.html",
        {
            "commune": commune,
            "producers": qs.order_by("kind", "name"),
            "kind": kind,
            "kinds": ProducerKind.choices,
            "can_create": can_create_producer(request.user, commune) if commune else False,
        },
    )


@require_GET
def producer_detail(request, public_id):
    producer = get_producer(request, public_id)
    can_edit = can_edit_producer(request.user, producer)
    products = producer.products.all() if can_edit else producer.products.filter(is_listed=True)
    certificates = certificates_visible_to(request.user).filter(producer=producer)
    return render(
        request,
        "economy/producer_detail.html",
        {
            "producer": producer,
            "can_edit": can_edit,
            "products": products,
            "members": producer.members.select_related("user") if can_edit else None,
            "member_count": producer.members.count(),
            "areas": producer.growing_areas.all(),
            "certificates": [(c, certificate_status(c)) for c in certificates],
            "linkages": linkages_visible_to(request.user).filter(buyer=producer),
            "accounts": producer.bank_accounts.all(),
            "member_form": MemberForm(),
            "account_form": BankAccountForm(),
        },
    )


def _producer_form_view(request, producer=None):
    commune = producer.commune if producer else market_commune(request)
    if producer is None and not can_create_producer(request.user, commune):
        raise Forbidden
    initial = {f: getattr(producer, f) for f in ProducerForm.base_fields} if producer else None
    form = ProducerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {
            k: ("" if v is None and k not in ("latitude", "longitude") else v)
            for k, v in form.cleaned_data.items()
        }
        try:
            if producer is None:
                producer = actions.create_producer(actor=request.user, commune=commune, **data)
                messages.success(
                    request, _("Đã đăng ký chủ thể %(name)s.") % {"name": producer.name}
                )
            else:
                actions.update_producer(actor=request.user, producer=producer, **data)
                messages.success(request, _("Đã lưu thay đổi."))
            return redirect("economy:producer_detail", public_id=producer.public_id)
        except DomainError as exc:
            form_error(form, exc)
    return render(
        request,
        "economy/form.html",
        {
            "form": form,
            "back": producer,
            "title": _("Sửa thông tin chủ thể") if producer else _("Đăng ký chủ thể sản xuất"),
        },
    )


@login_required
def producer_new(request):
    return _producer_form_view(request)


@login_required
def producer_edit(request, public_id):
    return _producer_form_view(request, editable_producer(request, public_id))


@login_required
@require_POST
def member_add(request, public_id):
    producer = editable_producer(request, public_id)
    form = MemberForm(request.POST)
    if form.is_valid():
        try:
            actions.add_member(actor=request.user, producer=producer, **form.cleaned_data)
            messages.success(request, _("Đã thêm thành viên."))
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Cần nhập tên thành viên."))
    return redirect("economy:producer_detail", public_id=producer.public_id)


@login_required
@require_POST
def account_add(request, public_id):
    producer = editable_producer(request, public_id)
    form = BankAccountForm(request.POST)
    if form.is_valid():
        try:
            actions.add_bank_account(actor=request.user, producer=producer, **form.cleaned_data)
            messages.success(request, _("Đã thêm tài khoản nhận thanh toán."))
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Thông tin tài khoản chưa hợp lệ."))
    return redirect("economy:producer_detail", public_id=producer.public_id)


def _product_data(form) -> dict:
    data = dict(form.cleaned_data)
    return data


@login_required
def product_new(request, public_id):
    producer = editable_producer(request, public_id)
    form = ProductForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            product = actions.create_product(
                actor=request.user, producer=producer, **_product_data(form)
            )
            return redirect("economy:product_detail", public_id=product.public_id)
        except DomainError as exc:
            form_error(form, exc)
    return render(
        request, "economy/form.html", {"form": form, "back": producer, "title": _("Thêm sản phẩm")}
    )


@login_required
def product_edit(request, public_id):
    product = get_product(request, public_id)
    if not can_edit_producer(request.user, product.producer):
        raise Forbidden
    initial = {f: getattr(product, f) for f in ProductForm.base_fields}
    form = ProductForm(request.POST or None, initial=initial)
    photo_form = PhotoForm()
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_product(actor=request.user, product=product, **_product_data(form))
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect("economy:product_detail", public_id=product.public_id)
        except DomainError as exc:
            form_error(form, exc)
    return render(
        request,
        "economy/product_edit.html",
        {
            "form": form,
            "photo_form": photo_form,
            "product": product,
            "photos": product.photos.all(),
        },
    )


@accepts_files
@login_required
@require_POST
def photo_add(request, public_id):
    product = get_product(request, public_id)
    if not can_edit_producer(request.user, product.producer):
        raise Forbidden
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.add_product_photo(
                actor=request.user,
                product=product,
                upload=form.cleaned_data["image"],
                caption=form.cleaned_data["caption"],
            )
            messages.success(request, _("Đã thêm ảnh."))
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Cần chọn một tệp ảnh."))
    return redirect("economy:product_edit", public_id=product.public_id)


@accepts_files
@login_required
def area_new(request, public_id):
    producer = editable_producer(request, public_id)
    form = GrowingAreaForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.create_growing_area(actor=request.user, producer=producer, **form.cleaned_data)
            messages.success(request, _("Đã thêm vùng trồng."))
            return redirect("economy:producer_detail", public_id=producer.public_id)
        except DomainError as exc:
            form_error(form, exc)
    return render(
        request,
        "economy/form.html",
        {"form": form, "back": producer, "title": _("Thêm vùng trồng")},
    )


@accepts_files
@login_required
def certificate_new(request, public_id):
    producer = editable_producer(request, public_id)
    form = CertificateForm(request.POST or None, request.FILES or None, producer=producer)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["growing_area"] = (
            producer.growing_areas.get(pk=data["growing_area"]) if data["growing_area"] else None
        )
        data["product"] = producer.products.get(pk=data["product"]) if data["product"] else None
        try:
            actions.add_certificate(actor=request.user, producer=producer, **data)
            messages.success(request, _("Đã thêm chứng nhận."))
            return redirect("economy:producer_detail", public_id=producer.public_id)
        except DomainError as exc:
            form_error(form, exc)
    return render(
        request,
        "economy/form.html",
        {"form": form, "back": producer, "title": _("Thêm chứng nhận")},
    )


@login_required
def linkage_new(request, public_id):
    producer = editable_producer(request, public_id)
    form = LinkageForm(request.POST or None, producer=producer)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["suppliers"] = producers_by_ids(data["suppliers"])
        data["growing_area"] = (
            get_object_or_404(growing_areas_visible_to(request.user), pk=data["growing_area"])
            if data["growing_area"]
            else None
        )
        try:
            actions.create_linkage(actor=request.user, buyer=producer, **data)
            messages.success(request, _("Đã ghi nhận mô hình liên kết."))
            return redirect("economy:producer_detail", public_id=producer.public_id)
        except DomainError as exc:
            form_error(form, exc)
    return render(
        request,
        "economy/form.html",
        {"form": form, "back": producer, "title": _("Mô hình liên kết sản xuất")},
    )
