"""The minimum hours of specialised trafficking training (PLANNING_MINIMUM_TRAINING_HOURS, 20 to
40) and the implicit-bias refresh interval (PLANNING_IMPLICIT_BIAS_REFRESH_DAYS) are settings; the
rules read them at review time."""

import pytest

from beyondraid.planning import document, rules

from .plan_builders import justified

pytestmark = pytest.mark.django_db


def _findings(rule: str) -> list[rules.Finding]:
    review = rules.review(document.parse(justified()))
    return [finding for finding in review.findings if finding.rule == rule]


def test_with_the_defaults_the_justified_officers_are_trained_enough():
    assert not _findings("officer-training-hours")
    assert not _findings("officer-implicit-bias")


def test_a_higher_minimum_flags_an_officer_below_it(settings):
    settings.PLANNING_MINIMUM_TRAINING_HOURS = 30

    (finding,) = _findings("officer-training-hours")

    assert finding.message == (
        "Badge 5120 has 24 hours of specialised trafficking training; at least 30 are required. "
        "Assign a trained officer."
    )


def test_a_shorter_refresh_interval_makes_older_implicit_bias_training_out_of_date(settings):
    settings.PLANNING_IMPLICIT_BIAS_REFRESH_DAYS = 365

    (finding,) = _findings("officer-implicit-bias")

    assert finding.message == (
        "Badge 5120's implicit-bias training (2025-06-18) is more than 365 days old by the start "
        "of the operation. Repeat it first."
    )
