from django import forms
from django.utils.translation import gettext_lazy as _

from langso.people.models import Role

from .models import HelpTopic, Parameter


class PointForm(forms.Form):
    latitude = forms.FloatField(label=_("Vĩ độ"), min_value=-90, max_value=90)
    longitude = forms.FloatField(label=_("Kinh độ"), min_value=-180, max_value=180)


CONSENT_ROLES = [
    ("", _("— hoặc chọn vai trò —")),
    (Role.COMMUNE_LEADER, Role.COMMUNE_LEADER.label),
    (Role.COMMUNE_OFFICIAL, Role.COMMUNE_OFFICIAL.label),
    (Role.PROVINCE_OFFICER, Role.PROVINCE_OFFICER.label),
]


class ConsentForm(forms.Form):
    username = forms.CharField(
        label=_("Tên đăng nhập của người được xem"), required=False, max_length=150
    )
    role = forms.ChoiceField(label=_("Vai trò được xem"), choices=CONSENT_ROLES, required=False)
    purpose = forms.CharField(label=_("Mục đích"), max_length=200)
    valid_from = forms.DateField(label=_("Từ ngày"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_to = forms.DateField(
        label=_("Đến ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if bool(data.get("username")) == bool(data.get("role")):
            raise forms.ValidationError(_("Nhập một tên đăng nhập hoặc chọn một vai trò."))
        return data


class ReadingForm(forms.Form):
    parameter = forms.ModelChoiceField(
        label=_("Chỉ tiêu"), queryset=Parameter.objects.all(), to_field_name="code"
    )
    observed_at = forms.DateTimeField(
        label=_("Thời điểm đo"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    value = forms.FloatField(label=_("Giá trị"))


class HelpTopicField(forms.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=HelpTopic.choices, **kwargs)


class VaccinationForm(forms.Form):
    vaccine = forms.CharField(label=_("Vắc xin"), max_length=120)
    dose_number = forms.IntegerField(label=_("Mũi thứ"), min_value=1, initial=1)
    given_on = forms.DateField(label=_("Ngày tiêm"), widget=forms.DateInput(attrs={"type": "date"}))
    lot_number = forms.CharField(label=_("Số lô"), max_length=40, required=False)


class VisitForm(forms.Form):
    visited_on = forms.DateField(
        label=_("Ngày khám"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label=_("Lý do khám"), max_length=200)
    diagnosis = forms.CharField(label=_("Chẩn đoán"), max_length=200, required=False)
    icd10 = forms.CharField(label=_("Mã ICD-10"), max_length=10, required=False)


class ConditionForm(forms.Form):
    name = forms.CharField(label=_("Bệnh mạn tính"), max_length=160)
    icd10 = forms.CharField(label=_("Mã ICD-10"), max_length=10, required=False)
    onset = forms.DateField(
        label=_("Phát hiện từ"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
