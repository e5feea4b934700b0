"""Search keys are computed in one place (people/search_keys.py) whoever writes the row: the
actions, the admin, the population import and the demo agree."""

import pytest

from langso.core.text import fold
from langso.people.actions import add_resident, create_household, import_population
from langso.people.models import Household, Relation, Resident
from langso.people.search_keys import fold_name, household_search_key, resident_search_key

from .factories import HEAD_ROW, csv_file

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "text",
    ["Nguyễn Văn  An", "Đặng\tThị Hà", " VT-00012 Số 5, ngõ 3 ", "HÀ-NỘI, 12/3", "", "Ơ"],
)
def test_folding_word_by_word_gives_what_fold_gives(text):
    assert fold_name(text) == fold(text)


def test_the_import_and_the_actions_write_the_same_keys(official, commune, hamlet):
    import_population(actor=official, commune=commune, file=csv_file([HEAD_ROW]))
    imported = Household.objects.get(commune=commune)
    head = imported.head
    assert imported.search_key == household_search_key(
        imported.code, imported.address_line, head.full_name
    )
    assert head.search_key == resident_search_key(head.full_name)

    household = create_household(
        actor=official, commune=commune, code="05641-20001", address_line=imported.address_line
    )
    resident = add_resident(
        actor=official,
        household=household,
        full_name=head.full_name,
        sex=head.sex,
        date_of_birth=head.date_of_birth,
        relation_to_head=Relation.HEAD,
    )
    household.refresh_from_db()
    assert household.search_key == household_search_key(
        "05641-20001", imported.address_line, head.full_name
    )
    assert Resident.objects.get(pk=resident.pk).search_key == head.search_key


def test_the_admin_writes_the_same_keys(client, django_user_model, commune, hamlet, official):
    admin = django_user_model.objects.create_superuser("quan.tri.khoa", password="x" * 12)
    client.force_login(admin)
    household = create_household(actor=official, commune=commune, code="05641-30001")
    response = client.post(
        f"/admin/people/household/{household.pk}/change/",
        {"commune": commune.pk, "code": "05641-30001", "address_line": "Số 7 Đường Đồi Chè"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    household.refresh_from_db()
    assert household.search_key == household_search_key("05641-30001", "Số 7 Đường Đồi Chè")
