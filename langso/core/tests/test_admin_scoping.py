from django.contrib.admin.sites import AdminSite
from django.test import RequestFactory

from langso.core.admin_scoping import ReadOnlyScopedAdmin
from langso.people.models import Household


class _Households(ReadOnlyScopedAdmin):
    pass


class _FrozenHouseholds(ReadOnlyScopedAdmin):
    deletable = False


def _request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def test_a_read_only_admin_lets_an_official_look_but_never_add_or_change(official, household):
    admin = _Households(Household, AdminSite())
    request = _request(official)
    assert admin.has_view_permission(request, household)
    assert not admin.has_add_permission(request)
    assert not admin.has_change_permission(request, household)
    assert admin.has_delete_permission(request, household)
    assert list(admin.get_queryset(request)) == [household]


def test_a_read_only_admin_can_also_refuse_deletes(official, household):
    admin = _FrozenHouseholds(Household, AdminSite())
    assert not admin.has_delete_permission(_request(official), household)


def test_a_read_only_admin_still_hides_other_communes(other_official, household):
    admin = _Households(Household, AdminSite())
    request = _request(other_official)
    assert not admin.has_view_permission(request, household)
    assert list(admin.get_queryset(request)) == []
