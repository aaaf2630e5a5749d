"""Feeds (one upstream account each) and the history of their syncs."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from showcase.core.scope import SiteScopedQuerySet
from showcase.core.site import Site


class FeedKind(models.TextChoices):
    GEDEON = "gedeon", "Gedeon"
    APIMO = "apimo", "Apimo"


DEFAULT_BASE_URLS = {
    FeedKind.GEDEON: "https://api.gedeon.im",
    FeedKind.APIMO: "https://api.apimo.pro",
}


# How often each feed is synced when workers schedule it (minutes): the bounds keep an
# upstream from being asked every minute and a feed from going stale for more than a week.
SYNC_INTERVAL_DEFAULT = 60
SYNC_INTERVAL_MIN = 5
SYNC_INTERVAL_MAX = 7 * 24 * 60


class FeedQuerySet(SiteScopedQuerySet["Feed"]):
    def site_condition(self, site: Site) -> Q:
        """The feeds a site reads; every feed on the platform."""
        return Q() if site.is_platform else Q(pk__in=site.feed_ids)


class SyncRunQuerySet(SiteScopedQuerySet["SyncRun"]):
    def site_condition(self, site: Site) -> Q:
        """The runs of the feeds a site reads; every run on the platform."""
        return Q() if site.is_platform else Q(feed_id__in=site.feed_ids)


class Feed(models.Model):
    """One upstream account whose listings are synced into the cache.

    Credentials are stored for the clients only; the admin and the command never
    show them back in clear (see `masked_secret`).
    """

    name = models.SlugField(_("name"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=FeedKind.choices)
    base_url = models.URLField(_("base URL"), max_length=300)
    # Gedeon: the API key. Apimo: provider id + token, and the agency id.
    api_key = models.CharField(_("API key"), max_length=200, blank=True)
    provider_id = models.CharField(_("provider id"), max_length=50, blank=True)
    token = models.CharField(_("token"), max_length=200, blank=True)
    upstream_agency_id = models.CharField(_("upstream agency id"), max_length=50, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # Incremental sync state (Apimo `timestamp`) and when the last complete pass ended.
    cursor = models.CharField(_("sync cursor"), max_length=50, blank=True)
    last_full_sync_at = models.DateTimeField(_("last full pass"), null=True, blank=True)
    # Set while a sync runs; a second sync refuses to start until it is cleared or stale.
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)
    # Its own schedule, read by the workers' dispatcher (feeds.schedule): a sync starts
    # when this many minutes have passed since the last one started.
    sync_interval = models.PositiveIntegerField(
        _("sync every (minutes)"),
        default=SYNC_INTERVAL_DEFAULT,
        # In the table too: code that predates the column (a rolling deploy, the historical
        # models of older migrations) still inserts feeds.
        db_default=SYNC_INTERVAL_DEFAULT,
        validators=[MinValueValidator(SYNC_INTERVAL_MIN), MaxValueValidator(SYNC_INTERVAL_MAX)],
        help_text=_(
            "How often this feed is synced, in minutes, counted from the start of its last "
            "sync: by the task workers, or by cron's “feeds sync --due”."
        ),
    )
    # Set when a sync task is queued, cleared when a worker starts it: neither the
    # dispatcher nor "Sync now" queues a second one meanwhile.
    sync_queued_at = models.DateTimeField(_("sync queued"), null=True, blank=True)

    objects = FeedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("feed")
        verbose_name_plural = _("feeds")
        # Kind, base URL, credentials, provider and upstream agency: the operator's
        # (superusers, or whoever is given this); agents see them read-only.
        permissions = [("manage_connection", _("Can change a feed's connection settings"))]

    def __str__(self) -> str:
        return self.name

    @property
    def secret(self) -> str:
        return self.api_key if self.kind == FeedKind.GEDEON else self.token

    @property
    def masked_secret(self) -> str:
        return masked(self.secret)


# Secrets shorter than this show nothing of themselves; longer ones their last characters.
MASK_REVEAL_FROM = 20
MASK_REVEAL_CHARS = 3


def masked(secret: str) -> str:
    """A credential as the admin and the command show it: a fixed run of dots (which
    tells neither its length nor its start), followed by its last 3 characters only
    when it has at least 20, enough to tell two long keys apart; "" when there is none."""
    if not secret:
        return ""
    tail = secret[-MASK_REVEAL_CHARS:] if len(secret) >= MASK_REVEAL_FROM else ""
    return "•" * 8 + tail


class SyncStatus(models.TextChoices):
    RUNNING = "running", _("running")
    SUCCESS = "success", _("success")
    FAILED = "failed", _("failed")
    # A full pass that would have withdrawn too much: nothing withdrawn, an operator decides.
    HELD = "held", _("held")


class SyncRun(models.Model):
    """One sync of one feed: what it counted and, if it failed, why."""

    feed = models.ForeignKey(
        Feed, on_delete=models.CASCADE, related_name="runs", verbose_name=_("feed")
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=SyncStatus.choices, default=SyncStatus.RUNNING
    )
    full_pass = models.BooleanField(_("full pass"), default=True)
    complete = models.BooleanField(
        _("complete and consistent"),
        default=False,
        help_text=_("Every page fetched and as many distinct ids as announced upstream."),
    )
    seen = models.PositiveIntegerField(_("seen"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    withdrawn = models.PositiveIntegerField(_("withdrawn"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    # [{"id": "123", "reason": "..."}], capped by the sync engine.
    rejections = models.JSONField(_("rejected records"), default=list, blank=True)
    # Upstream codes the mapping did not know: [{"catalog": "...", "code": ..., "id": "..."}].
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    # Progress, written at each heartbeat: the total the upstream announced.
    announced = models.PositiveIntegerField(_("announced"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    # A held run: the upstream ids it would have withdrawn, {"listings": [...],
    # "agencies": [...]}, applied only when an operator confirms (sync.withdrawal_confirm).
    held_ids = models.JSONField(_("withdrawal held"), default=dict, blank=True)
    confirmed_at = models.DateTimeField(_("withdrawal confirmed"), null=True, blank=True)

    objects = SyncRunQuerySet.as_manager()

    # The exception that made this run fail, on the instance `sync_feed` returns (not
    # stored): the sync task retries only what a later attempt may cure.
    failure: Exception | None = None

    class Meta:
        ordering = ["-started_at"]
        get_latest_by = "started_at"
        verbose_name = _("sync run")
        verbose_name_plural = _("sync runs")
        indexes = [models.Index(fields=["feed", "-started_at"])]

    def __str__(self) -> str:
        # The admin's breadcrumbs and titles: the site's clock and the status in words.
        started = timezone.localtime(self.started_at)
        return f"{self.feed} {started:%Y-%m-%d %H:%M} {self.get_status_display()}"

    @property
    def duration(self):
        if self.finished_at is None:
            return None
        return self.finished_at - self.started_at

    @property
    def awaits_confirmation(self) -> bool:
        """A held run whose withdrawal no operator has confirmed yet."""
        return self.status == SyncStatus.HELD and self.confirmed_at is None

    @property
    def changed_anything(self) -> bool:
        return bool(self.created or self.updated or self.withdrawn)
