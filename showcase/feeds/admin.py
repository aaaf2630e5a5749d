from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from showcase.core.admin import SiteScopedAdmin
from showcase.feeds.models import SYNC_INTERVAL_DEFAULT, Feed, SyncRun, SyncStatus
from showcase.feeds.permissions import may_change_feed, may_manage_connection
from showcase.feeds.registry import PROVIDERS, base_url_clean, missing_credentials
from showcase.feeds.schedule import SyncAlreadyQueued, queued_recently
from showcase.feeds.services import sync_start_background
from showcase.feeds.sync import (
    SyncAlreadyRunning,
    WithdrawalNotHeld,
    held_run,
    lock_stale_after,
    withdrawal_confirm,
)
from showcase.listings.admin import ListingAdmin

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

SECRET_FIELDS = ("api_key", "token")
# A new source of listings: the next sync must be a full pass, not changes since a cursor
# that another account or agency gave.
SOURCE_FIELDS = ("kind", "base_url", "provider_id", "upstream_agency_id")
# What an agent sees of a feed: never a credential, not even a masked provider id.
AGENT_FIELDS = [
    "name",
    "kind",
    "base_url",
    "credentials",
    "upstream_agency_id",
    "is_active",
    "sync_interval",
]
# What an agent who may change the feed (no other site reads it) may edit.
AGENT_EDITABLE = ("is_active", "sync_interval")
SYNC_STATE_FIELDS = ["cursor", "last_full_sync_at", "created_at"]


class FeedForm(forms.ModelForm):
    """Credentials are write-only: never shown back; left empty, they stay as stored.
    The base URL must be one the feed's provider may send credentials to
    (showcase.feeds.registry.base_url_clean)."""

    class Meta:
        model = Feed
        fields = [
            "name",
            "kind",
            "base_url",
            "api_key",
            "provider_id",
            "token",
            "upstream_agency_id",
            "is_active",
            "sync_interval",
        ]
        widgets = {name: forms.PasswordInput(render_value=False) for name in SECRET_FIELDS}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "sync_interval" in self.fields:
            # Left empty (or not posted, by a form that predates it): kept as it is.
            self.fields["sync_interval"].required = False
        for name in SECRET_FIELDS:
            if name not in self.fields:  # an agent's form has no connection fields
                continue
            self.fields[name].required = False
            if self.instance.pk and getattr(self.instance, name):
                self.fields[name].help_text = _("A value is stored. Leave empty to keep it.")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what ModelForm.clean() returns, typed without its None
        for name in SECRET_FIELDS:
            if not data.get(name) and self.instance.pk:
                data[name] = getattr(self.instance, name)
        if "sync_interval" in self.fields and data.get("sync_interval") is None:
            data["sync_interval"] = self.instance.sync_interval or SYNC_INTERVAL_DEFAULT
        for credential in missing_credentials(data.get("kind") or "", data):
            if credential.field in self.fields:
                self.add_error(credential.field, credential.admin_message)
        kind, base_url = data.get("kind"), data.get("base_url")
        if "base_url" in self.fields and kind and base_url:
            spec = PROVIDERS[kind]
            try:
                data["base_url"] = base_url_clean(kind, base_url)
            except ValueError:
                self.add_error(
                    "base_url",
                    _(
                        "Credentials may only be sent to the provider's API (%(hosts)s) or to "
                        "a host the operator allows in the settings; no user name, query or "
                        "fragment."
                    )
                    % {"hosts": ", ".join(f"https://{h}" for h in spec.official_hosts)},
                )
        return data


@admin.register(Feed)
class FeedAdmin(SiteScopedAdmin):
    """Operators (showcase/feeds/permissions.py) add, delete and configure feeds; an agent
    sees their sites' feeds without any credential and may only switch a feed on or off
    when no other site reads it."""

    form = FeedForm
    list_display = [
        "name",
        "kind",
        "base_url",
        "credentials",
        "last_sync",
        "schedule",
        "is_active",
    ]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "base_url"]
    actions = ["sync_now", "confirm_withdrawal"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("runs")

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return may_manage_connection(request.user)

    def has_manage_connection_permission(self, request: HttpRequest) -> bool:
        """Withdrawing what the guard held is the operator's call (issue #13)."""
        return may_manage_connection(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or may_change_feed(request.user, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Deleting a feed deletes its listings on every site that reads it.
        if not may_manage_connection(request.user):
            return False
        return request.user.is_superuser or self._in_scope(request, obj)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if may_manage_connection(request.user):
            return super().get_fields(request, obj)
        # Listed explicitly: a view-only page would print api_key and token in clear.
        return AGENT_FIELDS + SYNC_STATE_FIELDS

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if may_manage_connection(request.user):
            return SYNC_STATE_FIELDS
        return [f for f in AGENT_FIELDS if f not in AGENT_EDITABLE] + SYNC_STATE_FIELDS

    @admin.display(description=_("credentials"))
    def credentials(self, feed: Feed) -> str:
        return feed.masked_secret

    @admin.display(description=_("sync every"), ordering="sync_interval")
    def schedule(self, feed: Feed) -> StrOrPromise:
        """The feed's interval in words ("60 min")."""
        return _("%(minutes)s min") % {
            "minutes": formats.number_format(feed.sync_interval, force_grouping=True)
        }

    @admin.display(description=_("last sync"))
    def last_sync(self, feed: Feed) -> StrOrPromise:
        runs = sorted(feed.runs.all(), key=lambda r: r.started_at, reverse=True)
        queued = feed.sync_queued_at
        if (
            queued is not None
            and queued_recently(feed, timezone.now())
            and (not runs or queued >= runs[0].started_at)
        ):
            # A task waits for a worker (or for its retry after an upstream outage).
            notice = format_html(
                '<span style="color:#555">{}</span>',
                _("sync queued at %(time)s: a worker starts it shortly")
                % {"time": local_time(queued)},
            )
            if not runs:
                return notice
            return format_html("{}<br>{}", notice, self._run_summary(runs[0]))
        if not runs:
            return _("never")
        return self._run_summary(runs[0])

    def _run_summary(self, run: SyncRun) -> StrOrPromise:
        colour = {"success": "#0a6b2d", "failed": "#b00020", "held": "#8a4b00"}.get(
            run.status, "#555"
        )
        if run.status == SyncStatus.RUNNING:
            beat = run.heartbeat_at or run.started_at
            if timezone.now() - beat > lock_stale_after():
                # Its process died (killed, or a restart): the next sync marks it failed.
                return format_html(
                    '<span style="color:#b00020">{}</span> {}',
                    run.get_status_display(),
                    _(
                        "no sign of life since %(time)s: the sync process has stopped; "
                        "the next sync marks this run failed."
                    )
                    % {"time": local_time(beat)},
                )
            # Written at each heartbeat of the sync process.
            return format_html(
                '<span style="color:{}">{}</span> {} · {}',
                colour,
                run.get_status_display(),
                local_time(run.started_at),
                _("%(seen)s of %(announced)s read")
                % {"seen": run.seen, "announced": "?" if run.announced is None else run.announced},
            )
        summary = format_html(
            '<span style="color:{}">{}</span> {} · +{} ~{} ={} −{} ✗{}',
            colour,
            run.get_status_display(),
            local_time(run.started_at),
            run.created,
            run.updated,
            run.unchanged,
            run.withdrawn,
            run.rejected,
        )
        if run.awaits_confirmation:
            return format_html("{}<br><strong>{}</strong>", summary, held_notice(run))
        return summary

    @admin.action(description=_("Sync now"))
    def sync_now(self, request: HttpRequest, queryset: QuerySet) -> None:
        """Start each feed's sync on a task worker, or in a background process without
        workers: never inside the request.
        A feed other sites share (switched off or not) is synced by the operator only."""
        for feed in queryset:
            if not may_change_feed(request.user, feed):
                self.message_user(
                    request,
                    _("%(feed)s: this feed is shared with other sites: only the operator syncs it.")
                    % {"feed": feed.name},
                    messages.WARNING,
                )
                continue
            try:
                process = sync_start_background(feed=feed)
            except SyncAlreadyQueued:
                self.message_user(
                    request,
                    _("%(feed)s: a sync is already queued.") % {"feed": feed.name},
                    messages.WARNING,
                )
                continue
            except SyncAlreadyRunning:
                self.message_user(
                    request,
                    _("%(feed)s: a sync is already running.") % {"feed": feed.name},
                    messages.WARNING,
                )
                continue
            except OSError as exc:
                self.message_user(
                    request,
                    _("%(feed)s: the sync could not be started (%(error)s).")
                    % {"feed": feed.name, "error": exc},
                    messages.ERROR,
                )
                continue
            if process is None:
                message = _(
                    "%(feed)s: sync queued for the task workers. Its progress and result "
                    "appear in the “last sync” column and under Sync runs."
                )
            else:
                message = _(
                    "%(feed)s: sync started in the background. Its progress and result "
                    "appear in the “last sync” column and under Sync runs."
                )
            self.message_user(request, message % {"feed": feed.name}, messages.SUCCESS)

    @admin.action(description=_("Confirm held withdrawal"), permissions=["manage_connection"])
    def confirm_withdrawal(self, request: HttpRequest, queryset: QuerySet) -> None:
        """Apply the withdrawal a feed's last complete pass held (the guard stopped it)."""
        for feed in queryset:
            try:
                run = withdrawal_confirm(feed=feed)
            except WithdrawalNotHeld:
                self.message_user(
                    request,
                    _("%(feed)s: no held withdrawal to confirm.") % {"feed": feed.name},
                    messages.WARNING,
                )
                continue
            except SyncAlreadyRunning:
                self.message_user(
                    request,
                    _("%(feed)s: a sync is already running.") % {"feed": feed.name},
                    messages.WARNING,
                )
                continue
            self.message_user(
                request,
                _("%(feed)s: withdrawal confirmed, %(count)s listings withdrawn.")
                % {"feed": feed.name, "count": run.withdrawn},
                messages.SUCCESS,
            )

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        if request.method == "GET":
            self.warn_held(request, self.get_queryset(request))
        return super().changelist_view(request, extra_context)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> Any:
        if request.method == "GET":
            self.warn_held(request, self.get_queryset(request).filter(pk=object_id))
        return super().change_view(request, object_id, form_url, extra_context)

    def warn_held(self, request: HttpRequest, feeds: QuerySet) -> None:
        """A notice for each feed whose withdrawal waits for an operator."""
        suspects = (
            SyncRun.objects.filter(
                feed__in=feeds.values("pk"), status=SyncStatus.HELD, confirmed_at__isnull=True
            )
            .values_list("feed_id", flat=True)
            .distinct()
        )
        for feed in Feed.objects.filter(pk__in=list(suspects)):
            run = held_run(feed)
            if run is not None:
                self.message_user(
                    request, format_html("{}: {}", feed.name, held_notice(run)), messages.WARNING
                )

    def save_model(self, request: HttpRequest, obj: Feed, form: Any, change: bool) -> None:
        if change and set(SOURCE_FIELDS) & set(form.changed_data):
            obj.cursor, obj.last_full_sync_at = "", None
        super().save_model(request, obj, form, change)
        user = request.user  # signed in: the admin lets no one else save
        if not change and user.is_authenticated and not user.is_superuser:
            # A feed an agent adds belongs to the agent's sites.
            obj.tenants.add(*user.tenants.all())


@admin.register(SyncRun)
class SyncRunAdmin(SiteScopedAdmin):
    list_display = [
        "feed",
        "started",
        "status",
        "duration_seconds",
        "created",
        "updated",
        "unchanged",
        "withdrawn",
        "rejected",
        "progress",
    ]
    list_filter = ["status", "feed"]
    list_select_related = ["feed"]
    date_hierarchy = "started_at"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in SyncRun._meta.fields] + [
            "started",
            "finished",
            "last_heartbeat",
            "duration_seconds",
            "rejected_records",
            "warnings_list",
            "progress",
            "held_summary",
            "confirmed",
        ]

    fieldsets = [
        (
            None,
            {
                "fields": [
                    "feed",
                    "status",
                    "started",
                    "finished",
                    "duration_seconds",
                    "full_pass",
                    "complete",
                    "progress",
                    "last_heartbeat",
                ]
            },
        ),
        (
            _("Counts"),
            {"fields": ["seen", "created", "updated", "unchanged", "withdrawn", "rejected"]},
        ),
        (
            _("Problems"),
            {
                "fields": [
                    "error",
                    "held_summary",
                    "confirmed",
                    "rejected_records",
                    "warnings_list",
                ]
            },
        ),
    ]

    @admin.display(description=_("started"), ordering="started_at")
    def started(self, run: SyncRun) -> str:
        return local_time(run.started_at)

    @admin.display(description=_("finished"), ordering="finished_at")
    def finished(self, run: SyncRun) -> StrOrPromise:
        return local_time(run.finished_at) if run.finished_at else _("not yet")

    @admin.display(description=_("last heartbeat"))
    def last_heartbeat(self, run: SyncRun) -> str:
        return local_time(run.heartbeat_at) if run.heartbeat_at else "—"

    @admin.display(description=_("withdrawal confirmed"))
    def confirmed(self, run: SyncRun) -> str:
        return local_time(run.confirmed_at) if run.confirmed_at else "—"

    @admin.display(description=_("duration"))
    def duration_seconds(self, run: SyncRun) -> StrOrPromise:
        """Whole seconds ("12 s"), or "running" while it runs."""
        if run.duration is None:
            return _("running") if run.status == SyncStatus.RUNNING else "—"
        seconds = round(run.duration.total_seconds())
        return _("%(seconds)s s") % {"seconds": formats.number_format(seconds, force_grouping=True)}

    @admin.display(description=_("warnings"))
    def warnings_list(self, run: SyncRun) -> str:
        """Upstream codes the mapping did not know, one line each."""
        rows = [
            (w.get("catalog", "?"), w.get("code", "?"), w.get("id", "?"))
            for w in run.warnings or []
            if isinstance(w, dict)
        ]
        if not rows:
            return "—"
        lines = (
            (
                gettext("unknown code %(code)s in %(catalog)s (record %(id)s)")
                % {"code": code, "catalog": catalog, "id": ident},
            )
            for catalog, code, ident in rows
        )
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", lines))

    @admin.display(description=_("progress"))
    def progress(self, run: SyncRun) -> str:
        """Ids read of the total announced, as of the last heartbeat."""
        announced = "?" if run.announced is None else str(run.announced)
        return f"{run.seen} / {announced}"

    @admin.display(description=_("withdrawal held"))
    def held_summary(self, run: SyncRun) -> StrOrPromise:
        if run.status != SyncStatus.HELD:
            return "—"
        return held_notice(run)

    @admin.display(description=_("rejected records"))
    def rejected_records(self, run: SyncRun) -> str:
        if not run.rejections:
            return "—"
        return format_html(
            "<ul>{}</ul>",
            format_html(
                "".join(
                    str(
                        format_html(
                            "<li><strong>{}</strong> : {}</li>", r.get("id"), r.get("reason")
                        )
                    )
                    for r in run.rejections
                )
            ),
        )

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        # Runs are written by the sync engine only (an empty one has no feed: it failed).
        return False


def local_time(moment: datetime) -> str:
    """`moment` in the site's time zone (TIME_ZONE), the date in the admin's language and
    the time on 24 hours to the second, e.g. "30/11/2026 03:05:12": every time the sync
    admin shows reads the same clock, without microseconds. In the hour the clocks go
    back (last Sunday of October, 02:00-02:59 twice) the zone's name tells the two apart,
    e.g. "25/10/2026 02:30:00 CEST" then "25/10/2026 02:30:00 CET"."""
    local = timezone.localtime(moment)
    text = f"{formats.date_format(local, 'SHORT_DATE_FORMAT')} {local:%H:%M:%S}"
    if local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset():
        text += f" {local.tzname()}"
    return text


def held_notice(run: SyncRun) -> StrOrPromise:
    """What an operator reads about a held withdrawal, and what to do about it."""
    held = run.held_ids or {}
    counts = {
        "listings": len(held.get("listings") or []),
        "agencies": len(held.get("agencies") or []),
    }
    if run.confirmed_at is not None:
        return (
            _("Withdrawal of %(listings)s listings and %(agencies)s agencies confirmed.") % counts
        )
    error = run.error or ""
    start, end = "Withdrawal held: ", ". Nothing was withdrawn."
    if error.startswith(start) and end in error:
        # Why this run held (the engine's words): a mass loss, an empty list, or more
        # confirmations than the bound; the generic sentence claimed a mass loss for all.
        return _(
            "Withdrawal held: this pass would have withdrawn %(listings)s listings and "
            "%(agencies)s agencies; the sync did not on its own because %(reason)s. "
            "Nothing was withdrawn. If they are really gone, use the action “Confirm "
            "held withdrawal”."
        ) % {**counts, "reason": error[len(start) : error.index(end)]}
    return (
        _(
            "Withdrawal held: this pass would have withdrawn %(listings)s listings and "
            "%(agencies)s agencies, more than a sync may withdraw on its own. Nothing was "
            "withdrawn. If they are really gone, use the action “Confirm held withdrawal”."
        )
        % counts
    )


# The actions a provider offers on its listings upstream (e.g. Apimo's pictures and
# videos) appear on the listing change page through the listings admin's panel hook.
for spec in PROVIDERS.values():
    if spec.listing_panel is not None:
        ListingAdmin.add_panel(spec.listing_panel)
