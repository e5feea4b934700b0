from django import forms
from django.utils.translation import gettext_lazy as _

from langso.core import limits

from .models import ValueKind


class EnterValueForm(forms.Form):
    value = forms.DecimalField(label=_("Giá trị"), max_digits=16, decimal_places=2)
    denominator = forms.DecimalField(
        label=_("Mẫu số (nếu là tỷ lệ)"),
        max_digits=16,
        decimal_places=2,
        required=False,
        min_value=0,
    )
    note = forms.CharField(
        max_length=limits.NOTE,
        label=_("Ghi chú"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, indicator, **kwargs):
        super().__init__(*args, **kwargs)
        if indicator.value_kind == ValueKind.BOOLEAN:
            self.fields["value"] = forms.TypedChoiceField(
                label=_("Kết quả"), coerce=int, choices=[(1, _("Đạt")), (0, _("Chưa đạt"))]
            )
            del self.fields["denominator"]
        elif indicator.value_kind == ValueKind.PERCENT:
            self.fields["value"].label = _("Tử số (hoặc tỷ lệ % nếu không có mẫu số)")
        else:
            del self.fields["denominator"]


class OverrideForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do công nhận khi chưa đạt đủ tiêu chí"),
        min_length=20,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ghi rõ căn cứ (văn bản, biên bản thẩm định). Lý do được lưu vào nhật ký."),
    )


class ProgrammeMembershipForm(forms.Form):
    unit = forms.CharField(max_length=8, widget=forms.HiddenInput)
    included = forms.TypedChoiceField(
        label=_("Quyết định"),
        coerce=lambda v: v == "1",
        choices=[("1", _("Đưa vào chương trình")), ("0", _("Đưa ra khỏi chương trình"))],
    )
    year_from = forms.IntegerField(label=_("Từ năm"), min_value=2021, max_value=2030)
    year_to = forms.IntegerField(
        label=_("Đến năm (để trống: không thời hạn)"),
        min_value=2021,
        max_value=2030,
        required=False,
    )
    reason = forms.CharField(
        label=_("Lý do, căn cứ"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
