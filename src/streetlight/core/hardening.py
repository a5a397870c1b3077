"""Small HTTP safeguards that apply to every response (OWASP ASVS; see docs/security/asvs.md).

- TRACE and TRACK are refused (405), whatever the view would have done with them.
- With HTTPS on (`SECURE_SSL_REDIRECT`), the API and Open311 answer a plain-HTTP request with an
  error instead of a redirect: a client that sent a key over HTTP must notice, not be silently
  redirected after the key has already crossed the network in clear.
- What a signed-in staff member or a bearer-token caller receives is never stored by a browser or
  a proxy (`Cache-Control: no-store`), unless the view set its own caching.
- Refusals are security events, logged on `streetlight.security` (docs/security/inventory.md): bad
  input, failed authentication or authorisation, CSRF failures, rate limits and lockouts for
  everyone, and "not found" for signed-in staff and token holders, whose 404 means "not yours".
  A follow-up token in a path is never written out.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from .problems import problem
from .request_context import address_of

logger = logging.getLogger("streetlight.security")

REFUSED_METHODS = frozenset({"TRACE", "TRACK"})
MACHINE_PATHS = ("/api/", "/open311/")
LOGGED_STATUSES = frozenset({400, 401, 403, 405, 422, 429})
_FOLLOWUP_TOKEN = re.compile(r"^/f/[^/]+")


def loggable_path(path: str) -> str:
    """The path without the follow-up token it may carry (/f/<token>/…): that token is a reporter's key."""
    return _FOLLOWUP_TOKEN.sub("/f/…", path)[:200]


class HardeningMiddleware:
    """First in the chain, so its refusals come before any redirect or view."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in REFUSED_METHODS:
            response = HttpResponse(status=405)
            response["Allow"] = "GET, HEAD, POST, PUT, OPTIONS"
            return response
        if settings.SECURE_SSL_REDIRECT and not request.is_secure() and request.path.startswith(MACHINE_PATHS):
            return problem(
                status=403,
                title=_("Use HTTPS."),
                detail=_("This API answers over HTTPS only; nothing was done. Send the request to https:// again."),
            )
        response = self.get_response(request)
        user = getattr(request, "user", None)
        private = bool(user is not None and user.is_authenticated) or "Authorization" in request.headers
        if private and "Cache-Control" not in response:
            response["Cache-Control"] = "no-store"
        if response.status_code in LOGGED_STATUSES or (private and response.status_code == 404):
            logger.warning(
                "refused %s %s: %d for %s from %s",
                request.method,
                loggable_path(request.path),
                response.status_code,
                user.get_username() if user is not None and user.is_authenticated else "anonymous",
                address_of(request) or "unknown",
            )
        return response
