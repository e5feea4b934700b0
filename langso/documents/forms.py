from django import forms
from django.utils.translation import gettext_lazy as _

from langso.core import limits

from .models import DocumentKind


class CommuneChoiceMixin(forms.Form):
    commune: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Xã ban hành"), queryset=None)

    def __init__(self, *args, communes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes
        only = list(communes[:2]) if communes is not None else []
        if len(only) == 1:
            self.fields["commune"].initial = only[0].pk
            self.fields["commune"].widget = forms.HiddenInput()


class _DocumentFields(CommuneChoiceMixin):
    title = forms.CharField(label=_("Trích yếu (tiêu đề)"), max_length=300)
    kind = forms.ChoiceField(
        label=_("Loại văn bản"), choices=DocumentKind.choices, initial=DocumentKind.ANNOUNCEMENT
    )
    reference = forms.CharField(
        label=_("Số, ký hiệu"),
        max_length=60,
        required=False,
        help_text=_("Để trống để hệ thống tự cấp số."),
    )
    recipient = forms.CharField(
        label=_("Nơi nhận"),
        max_length=300,
        required=False,
        help_text=_("Nhiều nơi nhận cách nhau bằng dấu chấm phẩy."),
    )


class WriteDocumentForm(_DocumentFields):
    body = forms.CharField(
        label=_("Nội dung"),
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=20000,
        help_text=_("Mỗi đoạn cách nhau bằng một dòng trống."),
    )
    sign = forms.BooleanField(
        label=_("Ký số ngay bằng chứng thư của xã"), required=False, initial=True
    )

    def paragraphs(self) -> list[str]:
        text = self.cleaned_data["body"].replace("\r\n", "\n")
        return [p.strip() for p in text.split("\n\n") if p.strip()]


class UploadDocumentForm(_DocumentFields):
    file = forms.FileField(
        label=_("Tệp PDF"), widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"})
    )
    sign = forms.BooleanField(
        label=_("Ký số ngay bằng chứng thư của xã"), required=False, initial=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reference"].help_text = ""


class VerifyForm(forms.Form):
    file = forms.FileField(
        label=_("Chọn tệp PDF cần kiểm tra"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )


class LookupForm(forms.Form):
    code = forms.CharField(
        label=_("Mã văn bản (in ở chân trang)"),
        max_length=40,
        widget=forms.TextInput(attrs={"placeholder": "xxxxxxxx-xxxx-..."}),
    )


class RegisterFilterForm(forms.Form):
    q = forms.CharField(max_length=limits.LINE, label=_("Tìm (không cần dấu)"), required=False)
    kind = forms.ChoiceField(
        label=_("Loại"), required=False, choices=[("", _("Tất cả")), *DocumentKind.choices]
    )
    signed = forms.ChoiceField(
        label=_("Chữ ký số"),
        required=False,
        choices=[("", _("Tất cả")), ("yes", _("Đã ký")), ("no", _("Chưa ký"))],
    )
