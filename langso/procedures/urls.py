from django.urls import path

from .views import desk, public

app_name = "procedures"
urlpatterns = [
    path("", public.catalogue, name="catalogue"),
    path("thu-tuc/<int:pk>/", public.procedure_detail, name="procedure"),
    path("thu-tuc/<int:pk>/nop-ho-so/", public.submit, name="submit"),
    path("tra-cuu/", public.track, name="track"),
    path("cua-toi/", public.my_dossiers, name="mine"),
    path("ho-so/<uuid:public_id>/", public.dossier, name="dossier"),
    path("ho-so/<uuid:public_id>/bien-nhan/", public.receipt, name="receipt"),
    path("ho-so/<uuid:public_id>/cap-nhat/", public.applicant_action, name="applicant_action"),
    path("ho-so/<uuid:public_id>/danh-gia/", public.rate, name="rate"),
    path("ho-so/<uuid:public_id>/ket-qua.pdf", public.result, name="result"),
    path("tep/<uuid:file_id>/", public.attachment, name="file"),
    path("so-lieu/", public.figures, name="figures"),
    path("ban-lam-viec/", desk.queue, name="desk"),
    path("ban-lam-viec/ho-so/<uuid:public_id>/", desk.detail, name="desk_detail"),
    path("ban-lam-viec/ho-so/<uuid:public_id>/xu-ly/", desk.act, name="desk_act"),
    path("ban-lam-viec/ho-so/<uuid:public_id>/xin-loi/", desk.apology, name="desk_apology"),
    path("ban-lam-viec/ho-so/<uuid:public_id>/danh-gia/", desk.kiosk, name="kiosk"),
    path("ban-lam-viec/tiep-nhan/", desk.counter, name="counter"),
    path("ban-lam-viec/thu-tuc/", desk.procedure_list, name="desk_procedures"),
    path("ban-lam-viec/thu-tuc/moi/", desk.procedure_edit, name="procedure_new"),
    path("ban-lam-viec/thu-tuc/<int:pk>/sua/", desk.procedure_edit, name="procedure_edit"),
    path("ban-lam-viec/xuat-excel/", desk.export_register, name="export"),
    path("ban-lam-viec/thong-bao/da-doc/", desk.notifications_read, name="notifications_read"),
]
