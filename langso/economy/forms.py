"""Forms parse input only; the actions validate the domain rules."""

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from langso.core import limits

from .banks import bank_choices
from .models import BankAccount, CertificateKind, OcopGroup, ProducerKind, ProducerMember
from .ocop_rules import subgroups

GROUP_CHOICES = [("", _("— Chọn nhóm —")), *OcopGroup.choices]
DATE = forms.DateInput(attrs={"type": "date"})


def subgroup_choices():
    out = [("", _("— Không chọn —"))]
    for group, items in subgroups().items():
        label = dict(OcopGroup.choices).get(group, group)
        out.append((str(label), [(i["code"], i["name"]) for i in items]))
    return out


class MarketFilterForm(forms.Form):
    q = forms.CharField(max_length=limits.LINE, label=_("Tìm sản phẩm, chủ thể"), required=False)
    group = forms.ChoiceField(
        label=_("Nhóm sản phẩm"),
        required=False,
        choices=[("", _("Tất cả nhóm")), *OcopGroup.choices],
    )
    stars = forms.TypedChoiceField(
        label=_("Hạng OCOP"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Tất cả")), ("3", _("Từ 3 sao")), ("4", _("Từ 4 sao")), ("5", _("5 sao"))],
    )
    certificate = forms.ChoiceField(
        label=_("Chứng nhận còn hiệu lực"),
        required=False,
        choices=[("", _("Không lọc")), *CertificateKind.choices],
    )


class ProducerForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại hình"), choices=ProducerKind.choices)
    name = forms.CharField(label=_("Tên"), max_length=200)
    address = forms.CharField(label=_("Địa chỉ"), max_length=250, required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=20, required=False)
    registration_number = forms.CharField(
        label=_("Số đăng ký kinh doanh / mã số thuế"), max_length=30, required=False
    )
    description = forms.CharField(
        max_length=limits.DESCRIPTION, label=_("Giới thiệu"), required=False, widget=forms.Textarea
    )
    latitude = forms.FloatField(label=_("Vĩ độ"), required=False)
    longitude = forms.FloatField(label=_("Kinh độ"), required=False)


class ProductForm(forms.Form):
    name = forms.CharField(label=_("Tên sản phẩm"), max_length=200)
    ocop_group = forms.ChoiceField(
        label=_("Nhóm sản phẩm OCOP"), choices=GROUP_CHOICES, required=False
    )
    ocop_subgroup = forms.ChoiceField(label=_("Phân nhóm"), required=False, choices=())
    description = forms.CharField(
        max_length=limits.DESCRIPTION, label=_("Mô tả"), required=False, widget=forms.Textarea
    )
    unit = forms.CharField(label=_("Đơn vị tính"), max_length=30, initial="kg")
    price = forms.DecimalField(
        label=_("Giá (đồng)"), required=False, min_value=0, decimal_places=0, max_digits=14
    )
    stock = forms.IntegerField(label=_("Tồn kho"), required=False, min_value=0)
    gtin = forms.CharField(
        label=_("Mã GTIN (mã vạch)"),
        required=False,
        max_length=20,
        help_text=_("8, 12, 13 hoặc 14 chữ số; để trống nếu chưa có."),
    )
    is_listed = forms.BooleanField(label=_("Hiển thị trên chợ"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ocop_subgroup"].choices = subgroup_choices()


class PhotoForm(forms.Form):
    image = forms.FileField(label=_("Ảnh sản phẩm (JPEG, PNG, WebP, tối đa 5 MB)"))
    caption = forms.CharField(label=_("Chú thích"), max_length=200, required=False)


class MemberForm(forms.Form):
    name = forms.CharField(label=_("Tên thành viên"), max_length=150)
    member_role = forms.ChoiceField(
        label=_("Vai trò"),
        choices=ProducerMember.MemberRole.choices,
        initial=ProducerMember.MemberRole.MEMBER,
    )


class BankAccountForm(forms.Form):
    bank_bin = forms.ChoiceField(label=_("Ngân hàng"), choices=())
    account_number = forms.CharField(label=_("Số tài khoản"), max_length=25)
    account_name = forms.CharField(label=_("Tên chủ tài khoản"), max_length=100)
    channel = forms.ChoiceField(label=_("Hình thức"), choices=BankAccount.Channel.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bank_bin"].choices = bank_choices()


class PaymentForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Số tiền (đồng)"), min_value=1, decimal_places=0, max_digits=13
    )
    purpose = forms.CharField(label=_("Nội dung chuyển khoản"), max_length=50, required=False)
    bill = forms.CharField(label=_("Số hoá đơn / đơn hàng"), max_length=25, required=False)


class GrowingAreaForm(forms.Form):
    name = forms.CharField(label=_("Tên vùng"), max_length=200)
    code = forms.CharField(
        label=_("Mã số vùng trồng (ghi đúng như được cấp)"), max_length=60, required=False
    )
    crop = forms.CharField(label=_("Cây trồng / vật nuôi"), max_length=120)
    area_ha = forms.DecimalField(
        label=_("Diện tích (ha)"), required=False, min_value=0, max_digits=10, decimal_places=2
    )
    latitude = forms.FloatField(label=_("Vĩ độ"), required=False)
    longitude = forms.FloatField(label=_("Kinh độ"), required=False)
    boundary_file = forms.FileField(
        label=_("Ranh giới: tệp .geojson (không bắt buộc)"),
        required=False,
        help_text=_(
            "Tệp xuất từ ứng dụng đo đạc, geojson.io hoặc QGIS: một vùng (Polygon) "
            "hoặc nhiều thửa (các Polygon được gộp lại)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".geojson,.json,application/geo+json"}),
    )
    boundary = forms.CharField(
        max_length=limits.GEOJSON,
        label=_("Hoặc dán GeoJSON"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_boundary(self):
        text = self.cleaned_data["boundary"].strip()
        if not text:
            return None
        try:
            return json.loads(text)
        except ValueError as exc:
            raise forms.ValidationError(_("Ranh giới không phải GeoJSON hợp lệ.")) from exc

    def clean_boundary_file(self):
        upload = self.cleaned_data.get("boundary_file")
        if not upload:
            return None
        if upload.size > GEOJSON_MAX_BYTES:
            raise forms.ValidationError(_("Tệp ranh giới quá lớn (tối đa 2 MB)."))
        try:
            data = json.loads(upload.read().decode("utf-8-sig"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise forms.ValidationError(_("Tệp không phải GeoJSON hợp lệ.")) from exc
        return geometry_from_geojson(data)

    def clean(self):
        data = super().clean()
        from_file = data.pop("boundary_file", None)
        if from_file is not None:
            data["boundary"] = from_file  # the file wins over text pasted beside it
        return data


GEOJSON_MAX_BYTES = 2 * 1024 * 1024


def geometry_from_geojson(data) -> dict:
    """The geometry of a GeoJSON file as drawing tools save it: a geometry, a Feature, or a
    FeatureCollection (its polygons joined into one MultiPolygon). Checked by the action."""
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        geometries = [
            (f or {}).get("geometry") or {}
            for f in data.get("features") or []
            if isinstance(f, dict)
        ]
        if len(geometries) == 1:
            return geometries[0]
        polygons = []
        for g in geometries:
            if g.get("type") == "Polygon":
                polygons.append(g.get("coordinates"))
            elif g.get("type") == "MultiPolygon":
                polygons.extend(g.get("coordinates") or [])
        if not polygons:
            raise forms.ValidationError(_("Tệp không có vùng (Polygon) nào."))
        return {"type": "MultiPolygon", "coordinates": polygons}
    if isinstance(data, dict) and data.get("type") == "Feature":
        return data.get("geometry") or {}
    if isinstance(data, dict):
        return data
    raise forms.ValidationError(_("Tệp không phải GeoJSON hợp lệ."))


class CertificateForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Loại chứng nhận"), choices=[c for c in CertificateKind.choices if c[0] != "ocop"]
    )
    number = forms.CharField(label=_("Số chứng nhận"), max_length=60)
    issuer = forms.CharField(label=_("Tổ chức cấp"), max_length=200)
    scope = forms.CharField(label=_("Phạm vi"), max_length=300, required=False)
    valid_from = forms.DateField(label=_("Hiệu lực từ"), widget=DATE)
    valid_to = forms.DateField(label=_("Hiệu lực đến"), widget=DATE)
    growing_area = forms.ChoiceField(label=_("Vùng trồng"), required=False, choices=())
    product = forms.ChoiceField(label=_("Sản phẩm"), required=False, choices=())
    document = forms.FileField(
        label=_("Bản scan giấy chứng nhận (PDF, PNG, JPEG; không bắt buộc)"), required=False
    )

    def __init__(self, *args, producer=None, **kwargs):
        super().__init__(*args, **kwargs)
        if producer is not None:
            self.fields["growing_area"].choices = [("", "—")] + [
                (str(a.pk), str(a)) for a in producer.growing_areas.all()
            ]
            self.fields["product"].choices = [("", "—")] + [
                (str(p.pk), p.name) for p in producer.products.all()
            ]


class LinkageForm(forms.Form):
    name = forms.CharField(label=_("Tên mô hình liên kết"), max_length=200)
    suppliers = forms.MultipleChoiceField(label=_("Bên cung ứng"), required=False, choices=())
    growing_area = forms.ChoiceField(label=_("Vùng nguyên liệu"), required=False, choices=())
    uses_digital_technology = forms.BooleanField(
        label=_("Có ứng dụng công nghệ số"), required=False
    )
    digital_technology = forms.CharField(
        label=_("Công nghệ số sử dụng"), max_length=250, required=False
    )
    description = forms.CharField(
        max_length=limits.DESCRIPTION, label=_("Mô tả"), required=False, widget=forms.Textarea
    )
    started_on = forms.DateField(label=_("Bắt đầu"), widget=DATE)
    ended_on = forms.DateField(label=_("Kết thúc"), required=False, widget=DATE)

    def __init__(self, *args, producer=None, **kwargs):
        super().__init__(*args, **kwargs)
        if producer is not None:
            from .models import GrowingArea, Producer

            self.fields["suppliers"].choices = [
                (str(p.pk), p.name)
                for p in Producer.objects.filter(commune=producer.commune).exclude(pk=producer.pk)
            ]
            self.fields["growing_area"].choices = [("", "—")] + [
                (str(a.pk), str(a)) for a in GrowingArea.objects.filter(commune=producer.commune)
            ]


class DossierForm(forms.Form):
    filed_on = forms.DateField(label=_("Ngày nộp"), widget=DATE)
    note = forms.CharField(
        max_length=limits.NOTE, label=_("Ghi chú"), required=False, widget=forms.Textarea
    )
    file = forms.FileField(label=_("Tài liệu kèm theo (PDF, PNG, JPEG)"), required=False)
    file_title = forms.CharField(label=_("Tên tài liệu"), max_length=200, required=False)


class ScoreForm(forms.Form):
    comment = forms.CharField(
        max_length=limits.NOTE, label=_("Nhận xét"), required=False, widget=forms.Textarea
    )

    def __init__(self, *args, criteria_set, required=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.codes = []
        for c in criteria_set.criteria.all():
            self.codes.append(c.code)
            self.fields[f"s_{c.code}"] = forms.DecimalField(
                label=f"{c.code}. {c.label} (0–{c.max_points})",
                min_value=0,
                max_value=c.max_points,
                decimal_places=2,
                required=required,
            )
        self.order_fields([f"s_{c}" for c in self.codes] + ["comment"])

    def scores(self) -> dict:
        return {
            c: self.cleaned_data[f"s_{c}"]
            for c in self.codes
            if self.cleaned_data.get(f"s_{c}") is not None
        }


class DecideForm(forms.Form):
    decided_on = forms.DateField(label=_("Ngày kết luận"), widget=DATE)
    number = forms.CharField(
        label=_("Số quyết định / giấy chứng nhận (để trống: tự đánh số)"),
        max_length=60,
        required=False,
    )


class DemandForm(forms.Form):
    title = forms.CharField(label=_("Cần mua gì"), max_length=200)
    buyer_name = forms.CharField(label=_("Tên đơn vị / người mua"), max_length=200)
    contact = forms.CharField(
        label=_("Liên hệ (điện thoại, email)"), max_length=200, required=False
    )
    ocop_group = forms.ChoiceField(label=_("Nhóm sản phẩm"), choices=GROUP_CHOICES, required=False)
    quantity = forms.DecimalField(label=_("Số lượng"), min_value=0, max_digits=12, decimal_places=2)
    unit = forms.CharField(label=_("Đơn vị tính"), max_length=30, initial="kg")
    needed_by = forms.DateField(label=_("Cần trước ngày"), required=False, widget=DATE)
    price = forms.DecimalField(
        label=_("Giá mong muốn (đồng/đơn vị)"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=0,
    )
    description = forms.CharField(
        max_length=limits.DESCRIPTION,
        label=_("Yêu cầu thêm"),
        required=False,
        widget=forms.Textarea,
    )


class OfferForm(forms.Form):
    producer = forms.ChoiceField(label=_("Chào hàng với tư cách"), choices=())
    quantity = forms.DecimalField(
        label=_("Số lượng có thể cung cấp"), min_value=0, max_digits=12, decimal_places=2
    )
    price = forms.DecimalField(
        label=_("Giá chào (đồng/đơn vị)"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=0,
    )
    message = forms.CharField(
        max_length=limits.NOTE, label=_("Lời nhắn"), required=False, widget=forms.Textarea
    )

    def __init__(self, *args, producers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["producer"].choices = [(str(p.pk), p.name) for p in producers]
