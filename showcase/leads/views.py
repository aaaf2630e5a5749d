"""The contact form's endpoints: store the lead, then say thank you (POST/redirect/GET)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from showcase.core.client_ip import client_network
from showcase.core.csrf import same_origin_post
from showcase.core.site import SiteRequest
from showcase.leads.forms import ContactForm, SellerForm
from showcase.leads.models import Lead
from showcase.leads.services import RateLimited, lead_rate_check, lead_receive
from showcase.listings.models import Agency, Listing

_thanks_signer = signing.Signer(salt="leads.thanks")


def _client_ip(request: HttpRequest) -> str:
    # The visitor's (an IPv6 one's /64), read through our trusted proxies: REMOTE_ADDR
    # alone is nginx's, shared by every visitor.
    return client_network(request)


def _handle(
    request: SiteRequest, *, listing: Listing | None, agency: Agency | None
) -> HttpResponse:
    back_url = (
        listing.get_absolute_url() if listing else agency.get_absolute_url() if agency else "/"
    )
    form = ContactForm(request.POST or None)
    status = 200
    if request.method == "POST":
        received = _receive(request, form, listing=listing, agency=agency)
        if isinstance(received, HttpResponse):
            return received
        status = received
    return render(
        request,
        "leads/contact.html",
        {"form": form, "listing": listing, "agency": agency, "back_url": back_url},
        status=status,
    )


def _receive(
    request: SiteRequest,
    form: ContactForm,
    *,
    listing: Listing | None,
    agency: Agency | None,
    valuation: Callable[[], dict[str, Any]] | None = None,
) -> HttpResponse | int:
    """A posted contact or seller form: the redirect to the thanks page once the lead is
    stored, else the status to show the form again with (400 invalid, 429 too many)."""
    if not form.is_valid():
        return 400
    try:
        lead_rate_check(ip=_client_ip(request), email=form.cleaned_data["email"])
    except RateLimited:
        form.add_error(
            None,
            _(
                "You have sent several messages in a short time. Please wait a few minutes, or call the agency."
            ),
        )
        return 429
    lead, _created = lead_receive(
        tenant=request.site.tenant,
        listing=listing,
        agency=agency,
        data=form.cleaned_data,
        language=get_language() or "fr",
        valuation=valuation() if valuation is not None else None,
    )
    token = _thanks_signer.sign(str(lead.pk))
    return redirect(f"{reverse('lead-thanks')}?r={token}")


@same_origin_post(ContactForm)
@require_http_methods(["GET", "POST"])
def contact_listing(request: SiteRequest, pk: int) -> HttpResponse:
    listing = get_object_or_404(
        Listing.objects.for_site(request.site).published().select_related("agency"), pk=pk
    )
    return _handle(request, listing=listing, agency=listing.agency)


@same_origin_post(ContactForm)
@require_http_methods(["GET", "POST"])
def contact_agency(request: SiteRequest, pk: int) -> HttpResponse:
    agency = get_object_or_404(Agency.objects.for_site(request.site).published(), pk=pk)
    return _handle(request, listing=None, agency=agency)


@same_origin_post(SellerForm)
@require_http_methods(["GET", "POST"])
def seller(request: SiteRequest) -> HttpResponse:
    """The seller page: an owner describes a property to value or sell. Stored first as
    a lead (same consent, retention and notification), then created on Apimo by
    `leads retry` when the chosen agency is synced from Apimo."""
    agencies = Agency.objects.for_site(request.site).published().select_related("feed")
    form = SellerForm(request.POST or None, agencies=agencies)
    status = 200
    if request.method == "POST":
        received = _receive(
            request,
            form,
            listing=None,
            agency=form.cleaned_data.get("agency") if form.is_valid() else None,
            valuation=form.valuation,
        )
        if isinstance(received, HttpResponse):
            return received
        status = received
    return render(
        request,
        "leads/seller.html",
        {"form": form, "has_agencies": agencies.exists()},
        status=status,
    )


@never_cache  # it follows the lead's delivery: a cached copy would go stale
def thanks(request: SiteRequest) -> HttpResponse:
    """Says what happened and what happens next, as the lead's delivery status has it."""
    lead = None
    try:
        pk = int(_thanks_signer.unsign(request.GET.get("r", "")))
    except (signing.BadSignature, ValueError):
        pk = None
    if pk is not None:
        lead = Lead.objects.for_site(request.site).filter(pk=pk).select_related("listing").first()
    return render(
        request,
        "leads/thanks.html",
        {"lead": lead, "listing": lead.listing if lead else None},
    )
