"""What a change elsewhere makes stale: cached host resolutions and cached pages.

Connected in `TenantsConfig.ready()`, so they run whatever process makes the change
(web worker, `feeds sync`, `manage.py shell`); the versions they bump are shared by every
process (showcase/core/cache.py). They bump once the change is committed: bumped earlier, a
request in between could cache the old content again under the new version.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from showcase.core.pagecache import pages_invalidate
from showcase.core.site import PLATFORM_KEY
from showcase.feeds.models import Feed
from showcase.feeds.signals import feed_synced
from showcase.listings.models import Agency, Listing, ListingFlags
from showcase.tenants.models import Domain, Tenant
from showcase.tenants.resolver import forget_tenancy


def _after_commit_invalidate(site_keys: list[str]) -> None:
    """`pages_invalidate` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: pages_invalidate(site_keys))


def _site_keys_of_feed(feed_id: int) -> list[str]:
    return [str(pk) for pk in Tenant.objects.filter(feeds=feed_id).values_list("pk", flat=True)]


def _tenancy_changed(**kwargs: Any) -> None:
    transaction.on_commit(forget_tenancy)


def _tenant_feeds_changed(
    sender: Any, instance: Any, action: str, pk_set: set[int] | None = None, **kwargs: Any
) -> None:
    """A feed added to or removed from a site, from either side: the site's host
    resolution and its pages change."""
    if action not in ("post_add", "post_remove", "post_clear", "pre_clear"):
        return
    transaction.on_commit(forget_tenancy)
    if isinstance(instance, Tenant):
        keys = [str(instance.pk)]
    elif pk_set is not None:  # a feed's tenants added or removed
        keys = [str(pk) for pk in pk_set]
    elif action == "pre_clear":  # a feed's tenants cleared: still listed before the clear
        keys = _site_keys_of_feed(instance.pk)
    else:
        return
    _after_commit_invalidate(keys)


def _feed_deleted(sender: Any, instance: Feed, **kwargs: Any) -> None:
    # Before the delete: afterwards the feed no longer says which sites showed it.
    _after_commit_invalidate(_site_keys_of_feed(instance.pk))


def _feed_synced(sender: Any, feed: Feed, **kwargs: Any) -> None:
    _after_commit_invalidate(_site_keys_of_feed(feed.pk))


def _edited(sender: Any, instance: Any, **kwargs: Any) -> None:
    if isinstance(instance, Tenant):
        keys = [str(instance.pk)]
    elif isinstance(instance, Domain):
        keys = [str(instance.tenant_id)]
    else:  # a listing or an agency: every site showing its feed
        keys = _site_keys_of_feed(instance.feed_id) if instance.feed_id else []
    _after_commit_invalidate(keys)


# --- Agent flags (per site): a change stales that site's pages only (and the platform's,
# which pages_invalidate always includes).
def _flags_edited(sender: Any, instance: ListingFlags, **kwargs: Any) -> None:
    _after_commit_invalidate([str(instance.tenant_id) if instance.tenant_id else PLATFORM_KEY])


def connect() -> None:
    for model in (Tenant, Domain):
        for signal in (post_save, post_delete):
            signal.connect(_tenancy_changed, sender=model, dispatch_uid=f"tenancy-{model.__name__}")
    m2m_changed.connect(
        _tenant_feeds_changed, sender=Tenant.feeds.through, dispatch_uid="tenancy-feeds"
    )
    pre_delete.connect(_feed_deleted, sender=Feed, dispatch_uid="pages-feed-deleted")
    feed_synced.connect(_feed_synced, dispatch_uid="pages-feed-synced")
    for edited in (Listing, Agency, Tenant, Domain):
        post_save.connect(_edited, sender=edited, dispatch_uid=f"pages-save-{edited.__name__}")
        post_delete.connect(_edited, sender=edited, dispatch_uid=f"pages-delete-{edited.__name__}")
    post_save.connect(_flags_edited, sender=ListingFlags, dispatch_uid="pages-save-ListingFlags")
    post_delete.connect(
        _flags_edited, sender=ListingFlags, dispatch_uid="pages-delete-ListingFlags"
    )
