"""Granting and revoking a role: the change and its audit event are written together."""

import pytest

from conftest import make_user
from langso.core import audit
from langso.core.models import AuditEvent
from langso.people import actions
from langso.people.models import RoleAssignment


class AuditDown(Exception):
    pass


def _failing_audit(**kwargs):
    raise AuditDown


def test_a_grant_whose_audit_event_fails_leaves_no_role(leader, commune, monkeypatch):
    newcomer = make_user("moi.phanquyen")
    monkeypatch.setattr(audit, "record_change", _failing_audit)
    with pytest.raises(AuditDown):
        actions.assign_role(actor=leader, user=newcomer, role="commune_official", unit=commune)
    assert not RoleAssignment.objects.filter(user=newcomer).exists()


def test_a_revocation_whose_audit_event_fails_keeps_the_role(leader, commune, monkeypatch):
    newcomer = make_user("moi.thuhoi", role="commune_official", unit=commune)
    assignment = RoleAssignment.objects.get(user=newcomer)
    monkeypatch.setattr(audit, "record_change", _failing_audit)
    with pytest.raises(AuditDown):
        actions.revoke_role(actor=leader, assignment=assignment)
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_a_grant_and_a_revocation_each_leave_one_audit_event(leader, commune):
    newcomer = make_user("moi.kiemtra")
    before = AuditEvent.objects.count()
    assignment = actions.assign_role(
        actor=leader, user=newcomer, role="commune_official", unit=commune
    )
    actions.revoke_role(actor=leader, assignment=assignment)
    assert AuditEvent.objects.count() == before + 2
    assert not RoleAssignment.objects.filter(user=newcomer).exists()
