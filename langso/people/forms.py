from django import forms
from django.utils.translation import gettext_lazy as _

from .imports import ImportMode
from .models import Relation, Sex

MAX_IMPORT_BYTES = 50 * 1024 * 1024  # ~400,000 residents as CSV


class HouseholdForm(forms.Form):
    code = forms.CharField(label=_("Mã hộ"), max_length=30)
    hamlet: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Thôn, xóm"), queryset=None, required=False, empty_label=_("— Chưa xác định —")
    )
    address_line = forms.CharField(label=_("Địa chỉ"), max_length=200, required=False)
    latitude = forms.FloatField(label=_("Vĩ độ"), required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(label=_("Kinh độ"), required=False, min_value=-180, max_value=180)

    def __init__(self, *args, hamlets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hamlet"].queryset = hamlets


class ResidentForm(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=120)
    sex = forms.ChoiceField(label=_("Giới tính"), choices=Sex.choices)
    date_of_birth = forms.DateField(
        label=_("Ngày sinh"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    citizen_id = forms.CharField(
        label=_("Số CCCD"),
        max_length=12,
        required=False,
        help_text=_("12 chữ số; để trống nếu chưa có."),
    )
    phone = forms.CharField(label=_("Số điện thoại"), max_length=20, required=False)
    relation_to_head = forms.ChoiceField(label=_("Quan hệ với chủ hộ"), choices=Relation.choices)


class ResidentEditForm(ResidentForm):
    citizen_id = forms.CharField(
        label=_("Số CCCD mới"),
        max_length=12,
        required=False,
        help_text=_("Để trống nếu không đổi. Số hiện tại không hiển thị ở đây."),
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp dân cư (.xlsx hoặc .csv)"))
    commune = forms.ChoiceField(label=_("Xã"))
    mode = forms.ChoiceField(
        label=_("Khi tệp có lỗi"),
        widget=forms.RadioSelect,
        initial=ImportMode.ALL_OR_NOTHING,
        choices=[
            (ImportMode.ALL_OR_NOTHING, _("Không nhập gì cả (mặc định)")),
            (ImportMode.VALID_ONLY, _("Chỉ nhập các hộ hợp lệ")),
        ],
    )

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].choices = [(c.code, str(c)) for c in communes]

    # The file is checked by content (kind, size, zip bomb) in actions.import_population.


class RevealForm(forms.Form):
    purpose = forms.CharField(
        label=_("Mục đích xem số CCCD đầy đủ"),
        max_length=200,
        help_text=_("Ví dụ: đối chiếu hồ sơ thủ tục số ..."),
    )
