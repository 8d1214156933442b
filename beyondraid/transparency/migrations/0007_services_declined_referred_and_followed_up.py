from importlib import import_module

from django.db import migrations, models

# The indicators count what was offered, accepted, declined and followed up (issue 7): the view
# gains whether the person declined an offer, was referred to a provider, was turned away by one
# (the unmet-need log), and was followed up at all.
EARLIER = import_module("beyondraid.transparency.migrations.0006_operation_facts_view")

_OFFERS = """    SELECT encounter_id,
        MAX(CASE WHEN response = 'accepted' THEN 1 ELSE 0 END) AS accepted,
        MIN(offered_on) AS first_offer_on
    FROM standard_serviceoffer GROUP BY encounter_id"""
_OFFERS_NOW = """    SELECT encounter_id,
        MAX(CASE WHEN response = 'accepted' THEN 1 ELSE 0 END) AS accepted,
        MAX(CASE WHEN response = 'declined' THEN 1 ELSE 0 END) AS declined,
        MIN(offered_on) AS first_offer_on
    FROM standard_serviceoffer GROUP BY encounter_id"""
_FOLLOW_UPS = "        MAX(CASE WHEN prosecuted = 'yes' THEN 1 ELSE 0 END) AS prosecuted\n"
_FOLLOW_UPS_NOW = (
    "        MAX(CASE WHEN prosecuted = 'yes' THEN 1 ELSE 0 END) AS prosecuted,\n"
    "        1 AS followed_up\n"
)
_COLUMNS = "    COALESCE(follow_ups.prosecuted, 0) = 1 AS prosecuted,\n"
_COLUMNS_NOW = (
    _COLUMNS
    + "    COALESCE(offers.declined, 0) = 1 AS declined_services,\n"
    + "    COALESCE(follow_ups.followed_up, 0) = 1 AS followed_up,\n"
    + "    referrals.encounter_id IS NOT NULL AS referred,\n"
    + "    COALESCE(referrals.turned_away, 0) = 1 AS turned_away_by_provider,\n"
)
_REFERRALS = """LEFT JOIN (
    SELECT encounter_id,
        MAX(CASE WHEN declined_on IS NOT NULL THEN 1 ELSE 0 END) AS turned_away
    FROM care_referral GROUP BY encounter_id
) referrals ON referrals.encounter_id = e.id
"""


def _extended(view: str) -> str:
    for before, after in (
        (_OFFERS, _OFFERS_NOW),
        (_FOLLOW_UPS, _FOLLOW_UPS_NOW),
        (_COLUMNS, _COLUMNS_NOW),
    ):
        assert before in view, before
        view = view.replace(before, after)
    return view + _REFERRALS


FACTS_VIEW = _extended(EARLIER.FACTS_VIEW)


class Migration(migrations.Migration):
    dependencies = [
        ("care", "0002_relief_requests_and_alerts"),
        ("transparency", "0006_operation_facts_view"),
    ]

    operations = [
        migrations.RunSQL(
            [EARLIER.DROP_FACTS, FACTS_VIEW],
            reverse_sql=[EARLIER.DROP_FACTS, EARLIER.FACTS_VIEW],
        ),
        # The model is unmanaged: these change Django's picture of the view, not the database.
        *(
            migrations.AddField("encounterfact", name, models.BooleanField())
            for name in ("declined_services", "followed_up", "referred", "turned_away_by_provider")
        ),
    ]
