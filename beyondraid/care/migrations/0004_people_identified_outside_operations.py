# A person identified outside any operation (issue 21) has no operation for the unmet-need log to
# name, and their alerts are for the organisation that identified them to act on.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("care", "0003_family_court_and_record_clearing"),
        ("standard", "0005_people_identified_outside_operations"),
    ]

    operations = [
        migrations.AlterField(
            model_name="alert",
            name="agency",
            field=models.ForeignKey(
                help_text="The agency that must act: the lead agency of the person's operation, "
                "or the organisation that identified a person outside any operation.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="alerts",
                to="standard.agency",
            ),
        ),
        migrations.AlterField(
            model_name="unmetneed",
            name="operation",
            field=models.ForeignKey(
                blank=True,
                help_text="The operation in which the person was encountered; empty for a person "
                "identified outside any operation.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="unmet_needs",
                to="standard.operation",
            ),
        ),
    ]
