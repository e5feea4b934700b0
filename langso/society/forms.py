from django import forms
from django.utils.translation import gettext_lazy as _

from langso.people.models import Role

from .models import HelpTopic, Parameter, TrainingAudience


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


class TrainingSessionForm(forms.Form):
    title = forms.CharField(
        label=_("Tên khoá tập huấn"),
        max_length=200,
        help_text=_("Chọn khoá đã có hoặc gõ tên khoá mới."),
    )
    held_on = forms.DateField(
        label=_("Ngày học"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    audience = forms.ChoiceField(
        label=_("Đối tượng"),
        choices=TrainingAudience.choices,
        initial=TrainingAudience.OFFICIALS,
        widget=forms.RadioSelect,
    )
    place = forms.CharField(label=_("Địa điểm"), max_length=160, required=False)
    trainer = forms.CharField(label=_("Giảng viên"), max_length=120, required=False)


class OfficialAttendanceForm(forms.Form):
    """Attendees of an officials' session, ticked by name from the commune's officials."""

    attendees: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Cán bộ tham dự"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, officials, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["attendees"]
        field.queryset = officials
        field.label_from_instance = lambda u: (
            f"{u.get_full_name()} ({u.username})" if u.get_full_name() else u.username
        )


class ResidentAttendanceForm(forms.Form):
    headcount = forms.IntegerField(
        label=_("Số người dân tham dự không ghi tên"), min_value=0, max_value=100000
    )
    add: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Thêm người dân có tên"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    remove: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Bỏ khỏi danh sách"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, residents, named, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["add"].queryset = residents
        self.fields["remove"].queryset = named


class AttendanceImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp điểm danh (.xlsx)"))
