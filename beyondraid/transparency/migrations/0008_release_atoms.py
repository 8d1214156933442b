# Releases store their atoms grouped into blocks (issue 20): what each block holds is kept once per
# release. Releases created before keep their proofs of atom keys and have no row here.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("transparency", "0007_services_declined_referred_and_followed_up"),
    ]

    operations = [
        migrations.CreateModel(
            name="ReleaseAtoms",
            fields=[
                (
                    "release",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="transparency.release",
                    ),
                ),
                ("blocks", models.JSONField()),
            ],
        ),
    ]
