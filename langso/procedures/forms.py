from django import forms
from django.utils.translation import gettext_lazy as _

from langso.core import limits

from .models import Procedure, Satisfaction


class SubmitForm(forms.Form):
    applicant_name = forms.CharField(label=_("Họ và tên người nộp"), max_length=120)
    applicant_phone = forms.CharField(label=_("Số điện thoại"), max_length=20, required=False)
    applicant_email = forms.EmailField(label=_("Thư điện tử"), required=False)
    applicant_address = forms.CharField(label=_("Địa chỉ"), max_length=200, required=False)
    description = forms.CharField(
        max_length=limits.DESCRIPTION,
        label=_("Nội dung yêu cầu"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TrackForm(forms.Form):
    receipt_code = forms.CharField(label=_("Mã biên nhận"), max_length=32)
    secret = forms.CharField(label=_("Mã tra cứu (8 ký tự trên giấy biên nhận)"), max_length=12)


class RatingForm(forms.Form):
    level = forms.ChoiceField(
        label=_("Mức độ hài lòng"), choices=Satisfaction.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        max_length=limits.NOTE,
        label=_("Ý kiến khác (không bắt buộc)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ApologyForm(forms.Form):
    new_date = forms.DateField(
        label=_("Ngày hẹn trả mới"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(
        max_length=limits.NOTE, label=_("Lý do chậm"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ProcedureForm(forms.ModelForm):
    class Meta:
        model = Procedure
        fields = [
            "code",
            "name",
            "field",
            "required_documents",
            "fee",
            "fee_note",
            "processing_time",
            "time_unit",
            "online_level",
            "legal_basis",
            "is_active",
        ]
        widgets = {"required_documents": forms.Textarea(attrs={"rows": 5})}


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=_("Từ ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("Đến ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
