"""Admin pages that change an Apimo property upstream: medias, pictures, provider access.

Only for listings of an Apimo feed that the agent may change (404 otherwise); every
change is a POST with the CSRF token. The upstream's answer is reported with the
messages framework; the listing here changes at the next sync, never before.

The listings admin knows nothing about Apimo: `ApimoPanel` is a `ListingPanel`
(showcase/listings/admin.py), declared by provider.py and added to ListingAdmin by
showcase/feeds/admin.py. ListingAdmin then serves these pages under each listing's
change URL (`<listing>/apimo/...`, URL names `admin:listings_listing_apimo*`) and shows
the panel on the change page of the listings it applies to. The pages use the
ListingAdmin they are served by for the object lookup, the permission check (an agent
only reaches their own sites' listings) and the admin context.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.contrib.admin import ModelAdmin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from showcase.feeds.apimo import actions
from showcase.feeds.permissions import may_change_feed
from showcase.listings.models import Listing

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

URL_NAME = "listings_listing_apimo"
NEXT_SYNC = gettext_lazy("The listing here shows the change after the next sync.")


class MediaForm(forms.Form):
    media_type = forms.TypedChoiceField(
        label=gettext_lazy("Type"), choices=list(actions.MEDIA_TYPES.items()), coerce=int
    )
    content = forms.CharField(
        label=gettext_lazy("Link or HTML code"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text=gettext_lazy(
            "A YouTube, Vimeo, Dailymotion, Matterport or Clap.video link, or for HTML the "
            "embed code (scripts and event handlers are removed)."
        ),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what Form.clean() returns, typed without its None
        if "media_type" in data and "content" in data:
            try:
                data["content"] = actions.media_content_clean(data["media_type"], data["content"])
            except ValidationError as exc:
                self.add_error("content", exc)
        return data


class PictureForm(forms.Form):
    picture = forms.FileField(
        label=gettext_lazy("Picture"),
        help_text=gettext_lazy(
            "JPEG, PNG or WebP. Sent as a JPEG of at most 1920 pixels, without its metadata "
            "(camera, GPS position)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    def clean_picture(self) -> actions.PreparedPicture:
        upload = self.cleaned_data["picture"]
        return actions.picture_prepare(actions.picture_read(upload, size=upload.size))


class ProviderAccessForm(forms.Form):
    provider = forms.RegexField(
        label=gettext_lazy("Provider id"),
        regex=r"^[0-9]{1,12}$",
        error_messages={"invalid": gettext_lazy("A provider id is a number.")},
    )
    active = forms.TypedChoiceField(
        label=gettext_lazy("Access"),
        choices=[("1", gettext_lazy("grant")), ("0", gettext_lazy("revoke"))],
        coerce=lambda value: value == "1",
    )


class ApimoPanel:
    """The Apimo block of a listing's change page and the pages it links to."""

    field: str = "apimo_panel"
    title: StrOrPromise = gettext_lazy("Apimo")
    label: StrOrPromise = gettext_lazy("changes sent to Apimo")

    def applies_to(self, listing: Listing) -> bool:
        return actions.is_apimo(listing)

    def get_urls(self, model_admin: ModelAdmin) -> list[URLPattern]:
        return ApimoPages(model_admin).get_urls()

    def render(self, model_admin: ModelAdmin, listing: Listing) -> str:
        if not actions.is_apimo(listing):
            return "—"
        name = f"{model_admin.admin_site.name}:{URL_NAME}"
        links = [
            (reverse(f"{name}_media_add", args=[listing.pk]), _("Add a video or virtual tour")),
            (reverse(f"{name}_picture_add", args=[listing.pk]), _("Upload a picture")),
            (reverse(name, args=[listing.pk]), _("Delete a picture or a media")),
            (reverse(f"{name}_providers", args=[listing.pk]), _("Providers")),
        ]
        return format_html(
            "<p>{}</p><p>{}</p>",
            format_html_join(" · ", '<a href="{}">{}</a>', links),
            _("These change the property on Apimo; the listing here follows at the next sync."),
        )


class ApimoPages:
    """The Apimo pages of the ModelAdmin of listings that serves them."""

    def __init__(self, model_admin: ModelAdmin) -> None:
        self.model_admin = model_admin
        self.admin_site = model_admin.admin_site

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view  # login, staff and CSRF checks
        # Deletions are POST only (405 otherwise); the other pages show their form on GET.
        pages: list[tuple[str, str, Callable[..., HttpResponseBase]]] = [
            ("", "", self.apimo_overview),
            ("media/", "_media_add", self.apimo_media_add),
            (
                "media/<str:media_id>/delete/",
                "_media_delete",
                require_POST(self.apimo_media_delete),
            ),
            ("picture/", "_picture_add", self.apimo_picture_add),
            (
                "picture/<str:picture_id>/delete/",
                "_picture_delete",
                require_POST(self.apimo_picture_delete),
            ),
            ("providers/", "_providers", self.apimo_providers),
        ]
        return [
            path(f"<path:object_id>/apimo/{route}", wrap(view), name=f"{URL_NAME}{suffix}")
            for route, suffix, view in pages
        ]

    # Helpers

    def _apimo_listing(self, request: HttpRequest, object_id: str) -> Listing:
        """The listing, if it is an Apimo one the agent may change; 404 otherwise, so an
        agent learns nothing about other sites' listings. Changing the property upstream
        is for the operator or an agent whose sites alone read the feed (403): on a feed
        several sites share, it would change the other sites' listing too."""
        listing = self.model_admin.get_object(request, unquote(object_id))
        if listing is None or not self.model_admin.has_change_permission(request, listing):
            raise Http404(_("No such listing."))
        if not actions.is_apimo(listing):
            raise Http404(_("This listing does not come from an Apimo feed."))
        if not may_change_feed(request.user, listing.feed):
            raise PermissionDenied(
                _("This feed is shared with other sites: only the operator changes it upstream.")
            )
        return listing

    def _overview_url(self, listing: Listing) -> str:
        return reverse(f"{self.admin_site.name}:{URL_NAME}", args=[listing.pk])

    def _render(self, request: HttpRequest, listing: Listing, template: str, **context: Any):
        return render(
            request,
            f"admin/listings/listing/{template}",
            {
                **self.admin_site.each_context(request),
                "opts": self.model_admin.model._meta,
                "original": listing,
                "overview_url": self._overview_url(listing),
                **context,
            },
        )

    def _done(self, request: HttpRequest, listing: Listing, message: str) -> HttpResponseRedirect:
        messages.success(request, f"{message} {NEXT_SYNC}")
        return HttpResponseRedirect(self._overview_url(listing))

    def _failed(
        self, request: HttpRequest, listing: Listing, exc: actions.ActionFailed
    ) -> HttpResponseRedirect:
        messages.error(request, str(exc))
        return HttpResponseRedirect(self._overview_url(listing))

    # Pages

    def apimo_overview(self, request: HttpRequest, object_id: str) -> HttpResponse:
        listing = self._apimo_listing(request, object_id)
        photos = [p for p in listing.photos.all() if p.upstream_id]
        medias = [m for m in listing.medias or [] if isinstance(m, dict) and m.get("id")]
        return self._render(
            request,
            listing,
            "apimo_overview.html",
            title=_("Apimo: pictures, videos and providers"),
            photos=photos,
            medias=medias,
            media_types=actions.MEDIA_TYPES,
        )

    def apimo_media_add(self, request: HttpRequest, object_id: str) -> HttpResponse:
        listing = self._apimo_listing(request, object_id)
        form = MediaForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                media_id = actions.media_add(
                    listing=listing,
                    media_type=form.cleaned_data["media_type"],
                    content=form.cleaned_data["content"],
                )
            except actions.ActionFailed as exc:
                return self._failed(request, listing, exc)
            return self._done(
                request,
                listing,
                _("Apimo added the media (id %(id)s).") % {"id": media_id or "?"},
            )
        return self._render(
            request,
            listing,
            "apimo_form.html",
            title=_("Add a video or virtual tour"),
            form=form,
            submit=_("Send to Apimo"),
        )

    def apimo_picture_add(self, request: HttpRequest, object_id: str) -> HttpResponse:
        listing = self._apimo_listing(request, object_id)
        form = (
            PictureForm(request.POST, request.FILES) if request.method == "POST" else PictureForm()
        )
        if request.method == "POST" and form.is_valid():
            try:
                answer = actions.picture_upload(
                    listing=listing, picture=form.cleaned_data["picture"]
                )
            except actions.ActionFailed as exc:
                return self._failed(request, listing, exc)
            return self._done(
                request,
                listing,
                _("Apimo added the picture (id %(id)s, rank %(rank)s).")
                % {"id": answer.get("id", "?"), "rank": answer.get("rank", "?")},
            )
        return self._render(
            request,
            listing,
            "apimo_form.html",
            title=_("Upload a picture"),
            form=form,
            multipart=True,
            submit=_("Send to Apimo"),
        )

    def apimo_picture_delete(
        self, request: HttpRequest, object_id: str, picture_id: str
    ) -> HttpResponse:
        listing = self._apimo_listing(request, object_id)
        if not listing.photos.filter(upstream_id=picture_id).exists():
            raise Http404(_("This picture is not one of the listing's."))
        try:
            actions.picture_delete(listing=listing, picture_id=picture_id)
        except actions.ActionFailed as exc:
            return self._failed(request, listing, exc)
        return self._done(
            request, listing, _("Apimo deleted the picture %(id)s.") % {"id": picture_id}
        )

    def apimo_media_delete(
        self, request: HttpRequest, object_id: str, media_id: str
    ) -> HttpResponse:
        listing = self._apimo_listing(request, object_id)
        ids = {str(m.get("id")) for m in listing.medias or [] if isinstance(m, dict)}
        if media_id not in ids:
            raise Http404(_("This media is not one of the listing's."))
        try:
            actions.media_delete(listing=listing, media_id=media_id)
        except actions.ActionFailed as exc:
            return self._failed(request, listing, exc)
        return self._done(request, listing, _("Apimo deleted the media %(id)s.") % {"id": media_id})

    def apimo_providers(self, request: HttpRequest, object_id: str) -> HttpResponse:
        listing = self._apimo_listing(request, object_id)
        form = ProviderAccessForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            provider, active = form.cleaned_data["provider"], form.cleaned_data["active"]
            try:
                actions.provider_set_access(listing=listing, provider=provider, active=active)
            except actions.ActionFailed as exc:
                messages.error(request, str(exc))
            else:
                done = (
                    _("Apimo granted access to provider %(provider)s.")
                    if active
                    else _("Apimo revoked the access of provider %(provider)s.")
                )
                messages.success(request, done % {"provider": provider})
            return HttpResponseRedirect(request.path)
        providers, error = [], ""
        try:
            providers = actions.providers_list(listing=listing)
        except actions.ActionFailed as exc:
            error = str(exc)
        return self._render(
            request,
            listing,
            "apimo_providers.html",
            title=_("Providers of this property on Apimo"),
            providers=providers,
            error=error,
            form=form,
        )
