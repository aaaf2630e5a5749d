"""Admin login throttling: after repeated failures for one IP and username, refuse for a while.

`count_failure` is connected to `user_login_failed` in CoreConfig.ready()."""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from showcase.core.cache import hits_count, hits_get
from showcase.core.client_ip import client_network

logger = logging.getLogger("showcase.security")


def _key(request: HttpRequest | None, username: str) -> str:
    # The visitor's address, not the proxy's: else anyone could lock every agent out.
    ip = client_network(request) if request is not None else ""
    digest = hashlib.sha256(f"{ip}|{username.lower()}".encode()).hexdigest()[:32]
    return f"login-failures:{digest}"


class ThrottledModelBackend(ModelBackend):
    """ModelBackend that refuses every attempt while an IP+username pair is locked out."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ):
        limit, _period = settings.LOGIN_FAILURE_LIMIT
        if username and hits_get(_key(request, username)) >= limit:
            logger.warning("login refused: %s is locked out after %s failures", username, limit)
            raise PermissionDenied
        return super().authenticate(request, username=username, password=password, **kwargs)


def count_failure(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username") or "")
    if not username:
        return
    limit, period = settings.LOGIN_FAILURE_LIMIT
    key = _key(request, username)
    failures = hits_count(key, period)
    logger.warning("failed login for %s (%s in a row)", username, failures)
