import tarfile
from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from langso.core import audit
from langso.core.backup import RestoreError, create_backup, restore_backup, table_counts
from langso.core.models import AuditAction, AuditEvent
from langso.people.demo import populate_commune
from langso.people.models import Household, Resident


@pytest.mark.django_db(transaction=True)
def test_a_populated_installation_round_trips_through_backup_and_restore(
    tmp_path, commune, official, legacy_units
):
    populate_commune(commune, households=25, seed=3)
    audit.record(
        actor=official,
        action=AuditAction.EXPORT,
        object_type="people.Household",
        unit=commune,
        purpose="Báo cáo",
    )
    saved = default_storage.save("evidence/bien-ban.pdf", ContentFile(b"%PDF-1.7 bien ban"))
    before = table_counts()
    names = list(Resident.objects.order_by("pk").values_list("full_name", "citizen_id"))

    archive = create_backup(tmp_path)
    call_command("flush", interactive=False, verbosity=0)
    default_storage.delete(saved)
    assert Resident.objects.count() == 0

    restore_backup(archive)
    assert table_counts() == before
    assert list(Resident.objects.order_by("pk").values_list("full_name", "citizen_id")) == names
    assert AuditEvent.objects.get(purpose="Báo cáo").actor_id == official.pk
    with default_storage.open(saved) as restored:
        assert restored.read() == b"%PDF-1.7 bien ban"
    # New rows get fresh ids after a restore (sequences were reset).
    from langso.people.actions import create_household

    new = create_household(actor=official, commune=commune, code="05641-99999")
    assert new.pk > max(Household.objects.exclude(pk=new.pk).values_list("pk", flat=True))


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_non_empty_installation_and_changes_nothing(tmp_path, household):
    archive = create_backup(tmp_path)
    before = table_counts()
    with pytest.raises(RestoreError) as error:
        restore_backup(archive)
    assert "cài đặt trống" in error.value.message
    assert table_counts() == before


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_damaged_archive(tmp_path, db):
    bad = tmp_path / "bad.tar.gz"
    with tarfile.open(bad, "w:gz"):
        pass
    with pytest.raises(RestoreError):
        restore_backup(bad)


def test_a_birthday_survives_the_round_trip_unchanged():
    # Dates are serialized as ISO text: no time-zone shift can move a date of birth.
    from django.core import serializers

    resident = Resident(
        full_name="A",
        sex="M",
        date_of_birth=date(1990, 12, 31),
        household_id=1,
        commune_id=1,
        province_code="19",
    )
    text = serializers.serialize("json", [resident])
    assert '"date_of_birth": "1990-12-31"' in text
