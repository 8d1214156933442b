"""The prosecutor's office and the victim-service partner named in the plan each record one
review, with comments and a recommendation; nobody else reviews."""

import pytest
from django.core.exceptions import ValidationError

from beyondraid.accounts.models import User
from beyondraid.conftest import PASSWORD
from beyondraid.planning import services
from beyondraid.standard.tests.builders import make_agency

from .plan_builders import draft, submitted

pytestmark = pytest.mark.django_db


def _review(user, version, **extra):
    return services.record_review(
        user=user,
        version=version,
        recommendation=extra.get("recommendation", "approve"),
        comments=extra.get("comments", "Read in full."),
    )


@pytest.mark.parametrize(
    "persona", ["steward_a", "steward_b", "analyst", "investigator", "administrator"]
)
def test_only_the_named_prosecutor_and_caseworker_review(world, persona):
    version = submitted(world)
    with pytest.raises(services.PlanRefused, match="named in the plan review it"):
        _review(world.personas[persona], version)


def test_a_prosecutor_or_caseworker_of_another_organisation_does_not_review(world):
    version = submitted(world)
    other_office = make_agency(name="Other County District Attorney", kind="prosecutor")
    other = User.objects.create_user(
        username="prosecutor.other",
        password=PASSWORD,
        organisation=other_office,
        role="prosecutor",
    )
    with pytest.raises(services.PlanRefused):
        _review(other, version)


def test_each_part_reviews_a_version_once(world):
    version = submitted(world)
    _review(world.prosecutor, version)
    colleague = User.objects.create_user(
        username="prosecutor.two",
        password=PASSWORD,
        organisation=world.prosecutor_office,
        role="prosecutor",
    )

    for reviewer in (world.prosecutor, colleague):
        with pytest.raises(services.PlanRefused, match="already reviewed this version"):
            _review(reviewer, version, recommendation="return")

    assert version.reviews.count() == 1


def test_a_draft_is_not_reviewed(world):
    with pytest.raises(services.PlanRefused, match="Only a submitted version can be reviewed"):
        _review(world.caseworker, draft(world))


def test_a_review_needs_comments_and_a_known_recommendation(world):
    version = submitted(world)
    with pytest.raises(ValidationError) as refused:
        _review(world.caseworker, version, comments="   ")
    assert "comments" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        _review(world.caseworker, version, recommendation="maybe")
    assert "recommendation" in refused.value.message_dict
    assert not version.reviews.exists()


def test_a_review_recommending_return_is_kept_with_its_comments(world):
    version = submitted(world)
    review = _review(
        world.caseworker,
        version,
        recommendation="return",
        comments="  We were told too late to arrange Mandarin-speaking advocates.  ",
    )
    assert review.get_recommendation_display() == "Return for changes"
    assert review.comments == "We were told too late to arrange Mandarin-speaking advocates."
