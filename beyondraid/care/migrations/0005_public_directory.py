"""The public directory of where help is (issue 21, item 5): counties served, what a provider asks
for, how to reach it safely, and whether it is listed publicly."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("care", "0004_people_identified_outside_operations"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="profilecode",
            name="care_profile_code_in_its_vocabulary",
        ),
        migrations.AddField(
            model_name="providerprofile",
            name="contact_hours",
            field=models.CharField(
                blank=True, help_text="When the line, or the door, is answered.", max_length=120
            ),
        ),
        migrations.AddField(
            model_name="providerprofile",
            name="contact_phone",
            field=models.CharField(
                blank=True,
                help_text="The organisation's line for the public to call or text; never a person's own.",
                max_length=30,
            ),
        ),
        migrations.AddField(
            model_name="providerprofile",
            name="contact_texts",
            field=models.BooleanField(default=False, help_text="The line takes text messages."),
        ),
        migrations.AddField(
            model_name="providerprofile",
            name="listed_publicly",
            field=models.BooleanField(
                default=False,
                help_text="Shown on the public directory, which anyone reads without signing in; the provider's choice.",
            ),
        ),
        migrations.AddField(
            model_name="providerprofile",
            name="requires_id",
            field=models.BooleanField(
                blank=True,
                help_text="Asks for an identity document before helping someone.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="providerprofile",
            name="requires_police_report",
            field=models.BooleanField(
                blank=True, help_text="Asks for a police report before helping someone.", null=True
            ),
        ),
        migrations.AddField(
            model_name="providerprofile",
            name="walk_in",
            field=models.CharField(
                choices=[
                    ("address", "At the address given"),
                    ("on_contact", "Address given on contact"),
                    ("none", "No walk-in"),
                ],
                default="none",
                help_text="Whether people may come in person, and whether the address is public.",
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="providerprofile",
            name="walk_in_address",
            field=models.CharField(
                blank=True,
                help_text="The organisation's public address to come to; never a person's, nor a "
                "confidential place's.",
                max_length=200,
            ),
        ),
        migrations.AlterField(
            model_name="profilecode",
            name="list",
            field=models.CharField(
                choices=[
                    ("services", "Services offered"),
                    ("languages", "Languages spoken"),
                    ("gender_identities", "Gender identities served"),
                    ("age_groups", "Age groups served"),
                    ("counties", "Counties served"),
                ],
                max_length=20,
            ),
        ),
        migrations.AddConstraint(
            model_name="profilecode",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        (
                            "code__in",
                            (
                                "trafficking_shelter",
                                "emergency_shelter",
                                "long_term_housing",
                                "basic_needs",
                                "medical_care",
                                "crisis_counselling",
                                "ongoing_counselling",
                                "substance_use",
                                "legal_services",
                                "immigration_legal",
                                "interpreter",
                                "education",
                                "job_training",
                                "life_skills",
                                "financial_assistance",
                                "childrens_services",
                                "family_reunification",
                                "record_clearing",
                            ),
                        ),
                        ("list", "services"),
                    ),
                    models.Q(
                        (
                            "code__in",
                            (
                                "en",
                                "es",
                                "zh",
                                "yue",
                                "ko",
                                "th",
                                "vi",
                                "tl",
                                "ru",
                                "hy",
                                "pt",
                                "other",
                            ),
                        ),
                        ("list", "languages"),
                    ),
                    models.Q(
                        (
                            "code__in",
                            (
                                "woman",
                                "man",
                                "transgender_woman",
                                "transgender_man",
                                "non_binary",
                                "another_identity",
                            ),
                        ),
                        ("list", "gender_identities"),
                    ),
                    models.Q(
                        (
                            "code__in",
                            ("under_12", "12_14", "15_17", "18_24", "25_34", "35_and_over"),
                        ),
                        ("list", "age_groups"),
                    ),
                    models.Q(
                        (
                            "code__in",
                            (
                                "06001",
                                "06003",
                                "06005",
                                "06007",
                                "06009",
                                "06011",
                                "06013",
                                "06015",
                                "06017",
                                "06019",
                                "06021",
                                "06023",
                                "06025",
                                "06027",
                                "06029",
                                "06031",
                                "06033",
                                "06035",
                                "06037",
                                "06039",
                                "06041",
                                "06043",
                                "06045",
                                "06047",
                                "06049",
                                "06051",
                                "06053",
                                "06055",
                                "06057",
                                "06059",
                                "06061",
                                "06063",
                                "06065",
                                "06067",
                                "06069",
                                "06071",
                                "06073",
                                "06075",
                                "06077",
                                "06079",
                                "06081",
                                "06083",
                                "06085",
                                "06087",
                                "06089",
                                "06091",
                                "06093",
                                "06095",
                                "06097",
                                "06099",
                                "06101",
                                "06103",
                                "06105",
                                "06107",
                                "06109",
                                "06111",
                                "06113",
                                "06115",
                            ),
                        ),
                        ("list", "counties"),
                    ),
                    _connector="OR",
                ),
                name="care_profile_code_in_its_vocabulary",
                violation_error_message="Each code must belong to the vocabulary of its list.",
            ),
        ),
        migrations.AddConstraint(
            model_name="providerprofile",
            constraint=models.CheckConstraint(
                condition=models.Q(("walk_in__in", ["address", "on_contact", "none"])),
                name="care_profile_walk_in_known",
                violation_error_message="walk_in must be one of: address, on_contact, none.",
            ),
        ),
        migrations.AddConstraint(
            model_name="providerprofile",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("walk_in", "address"), models.Q(("walk_in_address", ""), _negated=True)
                    ),
                    models.Q(
                        models.Q(("walk_in", "address"), _negated=True), ("walk_in_address", "")
                    ),
                    _connector="OR",
                ),
                name="care_profile_address_only_to_walk_in_at",
                violation_error_message="A walk-in address is kept only when people may come to it; a confidential place's address is never stored.",
            ),
        ),
        migrations.AddConstraint(
            model_name="providerprofile",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("walk_in", "on_contact"), _negated=True),
                    models.Q(("contact_phone", ""), _negated=True),
                    _connector="OR",
                ),
                name="care_profile_address_on_contact_needs_a_line",
                violation_error_message="An address given on contact needs a line to contact.",
            ),
        ),
        migrations.AddConstraint(
            model_name="providerprofile",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("listed_publicly", False),
                    models.Q(
                        ("requires_id__isnull", False),
                        ("requires_police_report__isnull", False),
                        models.Q(("contact_hours", ""), _negated=True),
                        models.Q(
                            models.Q(("contact_phone", ""), _negated=True),
                            ("walk_in", "address"),
                            _connector="OR",
                        ),
                    ),
                    _connector="OR",
                ),
                name="care_profile_public_entry_says_how_to_reach",
                violation_error_message="A public entry says whether it asks for an ID or a police report, how to reach the provider and when.",
            ),
        ),
    ]
