from django import forms
from django.utils.translation import gettext_lazy as _

from langso.core import limits

from .models import Audience, AudienceGroup, DirectoryEntry, QuestionType


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(d, initial) for d in items]


class DirectoryEntryForm(forms.ModelForm):
    class Meta:
        model = DirectoryEntry
        fields = [
            "display_name",
            "position",
            "department",
            "phone",
            "email",
            "working_hours",
            "listed",
            "position_public",
            "phone_public",
            "email_public",
            "hours_public",
        ]


class AnnouncementForm(forms.Form):
    title = forms.CharField(label=_("Tiêu đề"), max_length=200)
    body = forms.CharField(
        max_length=limits.BODY, label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 8})
    )
    audience = forms.ChoiceField(label=_("Gửi tới"), choices=Audience.choices)
    hamlet: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Thôn, xóm"), queryset=None, required=False
    )
    group = forms.ChoiceField(
        label=_("Nhóm"), choices=[("", "—"), *AudienceGroup.choices], required=False
    )
    attachments = MultipleFileField(label=_("Tệp đính kèm (PDF, Word, Excel, ảnh)"), required=False)

    def __init__(self, *args, commune=None, **kwargs):
        super().__init__(*args, **kwargs)
        from langso.places.models import Hamlet

        self.fields["hamlet"].queryset = Hamlet.objects.filter(commune=commune)


class SubscriptionForm(forms.Form):
    by_email = forms.BooleanField(label=_("Nhận qua thư điện tử"), required=False)
    by_sms = forms.BooleanField(label=_("Nhận qua SMS"), required=False)
    by_zalo = forms.BooleanField(label=_("Nhận qua Zalo"), required=False)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    phone = forms.CharField(label=_("Số điện thoại"), max_length=20, required=False)


class SurveyForm(forms.Form):
    title = forms.CharField(label=_("Tên khảo sát"), max_length=200)
    description = forms.CharField(
        max_length=limits.DESCRIPTION,
        label=_("Giới thiệu"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    anonymous = forms.BooleanField(label=_("Ẩn danh (không lưu người trả lời)"), required=False)
    one_response_per_resident = forms.BooleanField(
        label=_("Mỗi người chỉ trả lời một lần"), required=False, initial=True
    )


class XLSFormUploadForm(forms.Form):
    xlsform = forms.FileField(label=_("Tệp XLSForm (.xlsx)"))
    anonymous = forms.BooleanField(label=_("Ẩn danh (không lưu người trả lời)"), required=False)


class QuestionForm(forms.Form):
    name = forms.RegexField(
        label=_("Tên biến (không dấu, ví dụ muc_hai_long)"),
        regex=r"^[A-Za-z_][A-Za-z0-9_]{0,63}$",
        max_length=64,
    )
    label = forms.CharField(label=_("Câu hỏi"), max_length=500)
    qtype = forms.ChoiceField(label=_("Loại"), choices=QuestionType.choices)
    choices = forms.CharField(
        max_length=limits.DESCRIPTION,
        label=_("Lựa chọn, mỗi dòng một: ma|Nhãn"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    required = forms.BooleanField(label=_("Bắt buộc"), required=False)
    constraint = forms.CharField(
        max_length=limits.NOTE, label=_("Ràng buộc (ví dụ . >= 18)"), required=False
    )
    constraint_message = forms.CharField(
        max_length=limits.LINE, label=_("Thông báo khi sai ràng buộc"), required=False
    )
    relevant = forms.CharField(
        max_length=limits.NOTE, label=_("Chỉ hỏi khi (ví dụ ${co_con} = 'yes')"), required=False
    )

    def clean_choices(self):
        out = []
        for line in self.cleaned_data.get("choices", "").splitlines():
            if not line.strip():
                continue
            name, _sep, label = line.partition("|")
            out.append({"name": name.strip(), "label": (label or name).strip()})
        return out


class FeedbackForm(forms.Form):
    category: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Lĩnh vực"), queryset=None)
    hamlet: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Thôn, xóm"), queryset=None, required=False
    )
    text = forms.CharField(
        max_length=limits.FEEDBACK,
        label=_("Nội dung phản ánh, kiến nghị"),
        min_length=10,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    photos = MultipleFileField(label=_("Ảnh (tối đa 4)"), required=False)
    latitude = forms.FloatField(label=_("Vĩ độ"), required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(label=_("Kinh độ"), required=False, min_value=-180, max_value=180)
    contact_name = forms.CharField(
        label=_("Họ tên (không bắt buộc)"), required=False, max_length=120
    )
    contact_phone = forms.CharField(
        label=_("Điện thoại (không bắt buộc)"), required=False, max_length=20
    )
    publish_consent = forms.BooleanField(
        label=_("Đồng ý đăng công khai nội dung (đã lược bỏ tên, số điện thoại, vị trí chính xác)"),
        required=False,
    )  # unticked: silence is not consent

    def __init__(self, *args, commune=None, **kwargs):
        super().__init__(*args, **kwargs)
        from langso.places.models import Hamlet

        from .models import FeedbackCategory

        self.fields["category"].queryset = FeedbackCategory.objects.filter(
            commune=commune, active=True
        )
        self.fields["hamlet"].queryset = Hamlet.objects.filter(commune=commune)


class FollowForm(forms.Form):
    code = forms.CharField(label=_("Mã phản ánh"), max_length=16)
    secret = forms.CharField(label=_("Mã bí mật"), max_length=20, required=False)


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Đánh giá câu trả lời"), coerce=int, choices=[(i, f"{i} ★") for i in range(1, 6)]
    )
    comment = forms.CharField(label=_("Nhận xét"), required=False, max_length=500)


class HandleFeedbackForm(forms.Form):
    department = forms.CharField(label=_("Bộ phận xử lý"), required=False, max_length=120)
    assignee: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Người xử lý"), queryset=None, required=False
    )
    answer = forms.CharField(
        max_length=limits.FEEDBACK,
        label=_("Trả lời"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, commune=None, **kwargs):
        super().__init__(*args, **kwargs)
        from langso.people.models import User

        from .permissions import MANAGE_ROLES

        self.fields["assignee"].queryset = User.objects.filter(
            roles__unit=commune, roles__role__in=MANAGE_ROLES
        ).distinct()
