"""Requests made with an agency integration token: who they act as, and what they may touch."""

from contextlib import ExitStack

from django.utils.encoding import escape_uri_path
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import SAFE_METHODS, BasePermission

from beyondraid.accounts.audit import acting_as, record
from beyondraid.accounts.models import AuditEntry
from beyondraid.standard import access

from . import tokens
from .models import IntegrationToken


class TokenActor:
    """Who a token acts as: a data steward of its agency, for ``standard.access``, which reads a
    user's role and organisation, and nothing more."""

    is_authenticated = True
    is_active = True
    is_organisation_admin = False
    role = access.STEWARD
    pk = None

    def __init__(self, token: IntegrationToken):
        self.token = token
        self.organisation = token.agency
        self.organisation_id = token.agency_id

    def get_username(self) -> str:
        return f"token {self.token.prefix} ({self.token.agency})"


def _where(request) -> str:
    """The path, as it was sent and percent-encoded (decoded it may hold a NUL, which PostgreSQL
    cannot store); for a person-level record, the route it took instead, since its path names
    the person by code and no audit entry says which person a request was about
    (docs/promises.md). Which record was read is in its own "viewed" entry."""
    kind = getattr((request.parser_context or {}).get("view"), "kind", None)
    match = getattr(request, "resolver_match", None)
    if getattr(kind, "person_level", False) and match and match.route:
        return f"/{match.route}"
    return escape_uri_path(request.path)


class IntegrationTokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer br_…``. Every request made with a token is in the audit log."""

    def authenticate(self, request):
        header = get_authorization_header(request).decode(errors="replace")
        if not header:
            return None
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise AuthenticationFailed("Send the token as 'Authorization: Bearer br_…'.")
        try:
            token = tokens.check(value.strip())
        except tokens.TokenInvalid as invalid:
            raise AuthenticationFailed(str(invalid)) from None
        actor = TokenActor(token)
        with acting_as(label=actor.get_username()[:150]):
            record(
                AuditEntry.Action.API_REQUEST,
                object_type="api.integrationtoken",
                object_id=str(token.pk),
                object_label=f"{request.method} {_where(request)}"[:200],
            )
        return actor, token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


class TokenCovers(BasePermission):
    """The token's scopes cover what the view serves (``view.record_type``) and the method."""

    message = (
        "This token does not cover this kind of record for this method; ask your agency's "
        "administrator for one that does."
    )

    def has_permission(self, request, view) -> bool:
        token = request.auth
        return isinstance(token, IntegrationToken) and token.covers(
            view.record_type, write=request.method not in SAFE_METHODS
        )


class ActsForToken:
    """For views answering tokens: everything a request writes or reads is logged under the
    token's name (``AuditActorMiddleware`` runs before the token is known, and would log the
    request as anonymous)."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self._acting = ExitStack()
        self._acting.enter_context(acting_as(label=request.user.get_username()[:150]))

    def finalize_response(self, request, response, *args, **kwargs):
        acting = getattr(self, "_acting", None)
        if acting is not None:
            acting.close()
        return super().finalize_response(request, response, *args, **kwargs)


class IntegrationTokenScheme(OpenApiAuthenticationExtension):
    """How the schema tells clients to authenticate: an HTTP bearer token."""

    target_class = IntegrationTokenAuthentication
    name = "agencyToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An agency integration token, `br_<prefix>_<secret>`, made by the "
            "agency's administrator at /api/tokens/.",
        }
