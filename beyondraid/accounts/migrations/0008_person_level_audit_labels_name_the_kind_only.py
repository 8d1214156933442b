"""Audit entries about person-level records keep their kind, and lose the person's code and facts.

Until now an entry about an encounter, or about anything recorded of the person (a charge, an
arrest, a referral…), was labelled with the person's code or with what the record says ("Victim
arrested — E-…", a statute with its date), and administrators, who may read no person-level
data, read those labels on the audit page and in its export (issue 19). The label was a copy of
person data that must never have been in the log, so this migration rewrites it to the record's
kind alone, as new entries are written (``accounts.person_records``). Nothing else of an entry
changes: who acted, when, what happened, the record's type and id, the fields named.

The audit log is otherwise append-only. On PostgreSQL its trigger is switched off for this one
statement per kind and on again, inside the migration's transaction, so that no other change can
pass. The old labels cannot be brought back: going backwards leaves the entries as they are.

The kinds are those person-level when this migration was written, frozen here as a migration's
data should be; entries written from now on are labelled by the running code.
"""

from django.db import migrations

KINDS = {
    "standard.encounter": "Encounter",
    "standard.roleassessment": "Role assessment",
    "standard.treatmentevent": "Treatment event",
    "standard.charge": "Charge",
    "standard.serviceoffer": "Service offer",
    "standard.cooperationrecord": "Cooperation record",
    "standard.followup": "Follow-up",
    "standard.nonpunishmentalert": "Non-punishment alert",
    "care.referral": "Referral",
    "care.consentoverride": "Consent override",
    "care.servicedelivery": "Service delivery",
    "care.unmetneed": "Unmet need",
    "care.reliefrequest": "Relief request",
    "care.alert": "Alert",
    "care.familyreunification": "Family reunification",
    "care.courtdate": "Court date",
    "care.recordclearing": "Record clearing",
}

TRIGGER = "accounts_auditentry_append_only"


def _trigger(schema_editor, state: str) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE accounts_auditentry {state} TRIGGER {TRIGGER}")


def name_the_kind_only(apps, schema_editor):
    entries = apps.get_model("accounts", "AuditEntry").objects
    _trigger(schema_editor, "DISABLE")
    for object_type, kind in KINDS.items():
        entries.filter(object_type=object_type).exclude(object_label=kind).update(object_label=kind)
    _trigger(schema_editor, "ENABLE")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0007_role_grants_need_a_second_manager")]

    operations = [migrations.RunPython(name_the_kind_only, migrations.RunPython.noop)]
