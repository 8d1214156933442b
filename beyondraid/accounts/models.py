"""Staff accounts.

A project-owned user model from the start, so that roles, organisation membership and two-factor
settings can be added without swapping the user model later.
"""

from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    class Meta:
        ordering = ["username"]
