"""Who may change what of a feed: the operator its connection, an agent only what is
theirs alone (issue #16: connection settings and shared feeds are the operator's)."""

from __future__ import annotations

from typing import Any

from showcase.feeds.models import Feed

MANAGE_CONNECTION = "feeds.manage_connection"


def may_manage_connection(user: Any) -> bool:
    """The operator: an active superuser, or a staff user given `feeds.manage_connection`.
    Only they set a feed's kind, base URL, credentials, provider and upstream agency,
    add or delete feeds, and change a feed that several sites share."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    return bool(user.is_superuser or user.has_perm(MANAGE_CONNECTION))


def owns_feed(user: Any, feed: Feed) -> bool:
    """Every site that reads `feed` is one of `user`'s (an agent of site A does not own a
    feed that site B reads too); False for a feed no site reads."""
    if not user.is_authenticated or not feed.pk:
        return False
    tenants = feed.tenants.all()
    return tenants.exists() and not tenants.exclude(agents=user).exists()


def may_change_feed(user: Any, feed: Feed) -> bool:
    """The operator, or an agent who owns the feed (see `owns_feed`)."""
    return may_manage_connection(user) or owns_feed(user, feed)
