from django import forms
from django.utils.translation import gettext_lazy as _

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
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3})
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
