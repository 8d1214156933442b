"""On PostgreSQL the database itself refuses to change or remove audit entries, so not even a
raw SQL session of the application's own database user can rewrite history. SQLite (the demo)
relies on the application's refusal alone.

TRUNCATE is not a row operation and is left to privileges: in production the application's
database role does not own the table and is not granted TRUNCATE (docs/deploy.md). Test runs
empty their database with TRUNCATE, which a trigger would make impossible."""

from django.db import migrations

CREATE = """
CREATE FUNCTION accounts_auditentry_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The audit log is append-only: % is not allowed', TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER accounts_auditentry_append_only
BEFORE UPDATE OR DELETE ON accounts_auditentry
FOR EACH ROW EXECUTE FUNCTION accounts_auditentry_refuse_change();
"""

DROP = """
DROP TRIGGER IF EXISTS accounts_auditentry_append_only ON accounts_auditentry;
DROP FUNCTION IF EXISTS accounts_auditentry_refuse_change();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            # Straight to the cursor: without parameters, '%' in the function body is literal.
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_organisation_role_audit")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
