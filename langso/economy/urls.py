from django.urls import path

from .views import areas, catalogue, demands, ocop, payments, producers

app_name = "economy"
urlpatterns = [
    path("", catalogue.market, name="market"),
    path("feed.csv", catalogue.feed_csv, name="feed_csv"),
    path("products/<uuid:public_id>/", catalogue.product_detail, name="product_detail"),
    path("products/<uuid:public_id>/edit/", producers.product_edit, name="product_edit"),
    path("products/<uuid:public_id>/photos/", producers.photo_add, name="photo_add"),
    path("products/<uuid:public_id>/ocop/", ocop.dossier_new, name="dossier_new"),
    path("producers/", producers.producer_list, name="producer_list"),
    path("producers/new/", producers.producer_new, name="producer_new"),
    path("producers/<uuid:public_id>/", producers.producer_detail, name="producer_detail"),
    path("producers/<uuid:public_id>/edit/", producers.producer_edit, name="producer_edit"),
    path("producers/<uuid:public_id>/members/", producers.member_add, name="member_add"),
    path("producers/<uuid:public_id>/accounts/", producers.account_add, name="account_add"),
    path("producers/<uuid:public_id>/products/new/", producers.product_new, name="product_new"),
    path("producers/<uuid:public_id>/areas/new/", producers.area_new, name="area_new"),
    path(
        "producers/<uuid:public_id>/certificates/new/",
        producers.certificate_new,
        name="certificate_new",
    ),
    path("producers/<uuid:public_id>/linkages/new/", producers.linkage_new, name="linkage_new"),
    path("producers/<uuid:public_id>/vietqr/", payments.producer_qr, name="producer_qr"),
    path(
        "producers/<uuid:public_id>/vietqr.<str:fmt>",
        payments.producer_qr_image,
        name="producer_qr_image",
    ),
    path("areas/", areas.area_list, name="area_list"),
    path("areas.geojson", areas.area_geojson, name="area_geojson"),
    path("certificates/", areas.certificate_list, name="certificate_list"),
    path("certificates/<int:pk>/revoke/", areas.certificate_revoke, name="certificate_revoke"),
    path("linkages/", areas.linkage_list, name="linkage_list"),
    path("ocop/", ocop.dossier_list, name="dossier_list"),
    path("ocop/<uuid:public_id>/", ocop.dossier_detail, name="dossier_detail"),
    path("ocop/<uuid:public_id>/tep/<int:file_id>/", ocop.dossier_file, name="ocop_file"),
    path("ocop/<uuid:public_id>/score/", ocop.dossier_score, name="dossier_score"),
    path("ocop/<uuid:public_id>/accept/", ocop.dossier_accept, name="dossier_accept"),
    path("ocop/<uuid:public_id>/decide/", ocop.dossier_decide, name="dossier_decide"),
    path("demands/", demands.demand_list, name="demand_list"),
    path("demands/new/", demands.demand_new, name="demand_new"),
    path("demands/<uuid:public_id>/", demands.demand_detail, name="demand_detail"),
    path("demands/<uuid:public_id>/offers/", demands.offer_new, name="offer_new"),
    path("demands/<uuid:public_id>/close/", demands.demand_close, name="demand_close"),
]
