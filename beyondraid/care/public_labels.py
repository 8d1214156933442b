"""The vocabulary labels the public directory shows, in the reader's language.

The labels live in the standard's vocabulary files, which Django's ``makemessages`` does not read;
``SHOWN`` marks each of them for translation so that it is collected into the catalogues like any
other text (docs/translating.md). ``test_public_directory_speaks_english_and_spanish`` fails when a
label the directory can show is missing here or has no Spanish.
"""

from django.utils.translation import gettext, gettext_noop

from beyondraid.standard.vocabulary import vocabulary

SHOWN = (
    # Services offered (service_type)
    gettext_noop("Trafficking-specific shelter"),
    gettext_noop("Emergency shelter"),
    gettext_noop("Long-term housing"),
    gettext_noop("Food, water and clothing"),
    gettext_noop("Medical care and health screening"),
    gettext_noop("Crisis mental-health counselling"),
    gettext_noop("Ongoing mental-health counselling"),
    gettext_noop("Substance-use programme"),
    gettext_noop("Legal services"),
    gettext_noop("Immigration legal services"),
    gettext_noop("Interpreter"),
    gettext_noop("Education"),
    gettext_noop("Paid job training"),
    gettext_noop("Life-skills training"),
    gettext_noop("Financial assistance"),
    gettext_noop("Services for the person's children"),
    gettext_noop("Family reunification"),
    gettext_noop("Record clearing"),
    # Languages spoken (language)
    gettext_noop("English"),
    gettext_noop("Spanish"),
    gettext_noop("Chinese (Mandarin)"),
    gettext_noop("Chinese (Cantonese)"),
    gettext_noop("Korean"),
    gettext_noop("Thai"),
    gettext_noop("Vietnamese"),
    gettext_noop("Tagalog"),
    gettext_noop("Russian"),
    gettext_noop("Armenian"),
    gettext_noop("Portuguese"),
    gettext_noop("Other language"),
    # Gender identities served (gender_identity)
    gettext_noop("Woman"),
    gettext_noop("Man"),
    gettext_noop("Transgender woman"),
    gettext_noop("Transgender man"),
    gettext_noop("Non-binary"),
    gettext_noop("Another identity"),
    # Age groups served (age_group)
    gettext_noop("Under 12"),
    gettext_noop("12 to 14"),
    gettext_noop("15 to 17"),
    gettext_noop("18 to 24"),
    gettext_noop("25 to 34"),
    gettext_noop("35 and over"),
)


def public_label(vocabulary_name: str, code: str) -> str:
    """A code's label in the active language."""
    return gettext(vocabulary(vocabulary_name).label(code))
