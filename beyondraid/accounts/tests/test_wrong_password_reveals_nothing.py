"""A refused sign-in says the same thing whether the username exists, the password is wrong or
the account is deactivated, so that the page never tells which usernames exist."""

import re

import pytest
from django.urls import reverse

from beyondraid.accounts.forms_signin import SIGN_IN_REFUSED
from beyondraid.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _refusal(client, username, password) -> tuple[int, str]:
    response = client.post(
        reverse("accounts:sign_in"), {"username": username, "password": password}
    )
    main = response.content.decode().split('<main id="main-content"', 1)[1]
    # The page is the same but for the CSRF token and the username typed back into the form.
    main = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", main)
    main = main.replace(f'value="{username}"', "")
    return response.status_code, main


def test_unknown_user_wrong_password_and_deactivated_user_get_the_same_page(client, world):
    world.steward_b.is_active = False
    world.steward_b.save()
    unknown = _refusal(client, "nobody.here", PASSWORD)
    wrong = _refusal(client, "steward.a", "not the password")
    deactivated = _refusal(client, "steward.b", PASSWORD)
    assert unknown == wrong == deactivated
    assert unknown[0] == 200
    assert SIGN_IN_REFUSED in unknown[1]
    assert SIGN_IN_REFUSED == (
        "That username and password do not match. "
        "After 5 wrong tries the account is locked for 15 minutes."
    )
