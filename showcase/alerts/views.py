"""Alert pages: subscribe (double opt-in), confirm, unsubscribe. No account."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from showcase.alerts import services
from showcase.alerts.forms import AlertForm
from showcase.core.csrf import same_origin_post
from showcase.core.site import SiteRequest, absolute_url
from showcase.leads.views import _client_ip
from showcase.listings.filters import canonical_query
from showcase.listings.search import listing_search


@same_origin_post(AlertForm)
@require_http_methods(["GET", "POST"])
def create(request: SiteRequest) -> HttpResponse:
    if request.method == "POST":
        form = AlertForm(request.POST)
    else:
        form = AlertForm(initial={"query": services.criteria_query(request.GET)})
    query = services.criteria_query(QueryDict(form["query"].value() or ""))
    found = listing_search(site=request.site, params=QueryDict(query))
    # Saved as the search URL carries them ("400 000 €" -> "400000"): the meaning shown.
    canonical = canonical_query(found.form, QueryDict(query))
    if canonical is not None:
        query = services.criteria_query(canonical)
    status = 200
    if request.method == "POST" and form.is_valid() and not found.errors:
        try:
            services.alert_rate_check(ip=_client_ip(request), email=form.cleaned_data["email"])
        except services.RateLimited:
            form.add_error(
                None,
                _(
                    "Several alerts were requested for this address or from your connection "
                    "in a short time. Please try again in an hour."
                ),
            )
            status = 429
        else:
            services.alert_subscribe(
                tenant=request.site.tenant,
                email=form.cleaned_data["email"],
                query=query,
                frequency=form.cleaned_data["frequency"],
                language=get_language() or "fr",
                base_url=absolute_url(request, "/").rstrip("/"),
            )
            return redirect("alert-pending")
    return render(
        request,
        "alerts/create.html",
        {
            "form": form,
            "criteria_errors": found.errors,
            "count": found.results.count(),
            "query": query,
        },
        status=status,
    )


def pending(request: HttpRequest) -> HttpResponse:
    return render(request, "alerts/pending.html")


@same_origin_post()
@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    # A GET only asks: mail link scanners open every link, and must not confirm anyone.
    if request.method == "POST":
        alert = services.alert_confirm(token)
    else:
        alert = services.alert_for_confirm(token)
    if alert is None:
        return render(request, "alerts/invalid.html", {"expired": True}, status=400)
    if alert.confirmed_at is None:
        return render(
            request,
            "alerts/confirm.html",
            {"alert": alert},
        )
    return render(
        request,
        "alerts/confirmed.html",
        {"alert": alert, "search": services.search_url(alert)},
    )


@csrf_exempt  # The signed token is the credential; mail clients POST without a CSRF token.
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    alert = services.alert_for_unsubscribe(token)
    if alert is None:
        # Already unsubscribed (or a mangled link): nothing is sent to it any more.
        return render(request, "alerts/unsubscribed.html", {"unknown": True})
    if request.method == "POST":
        services.alert_unsubscribe(alert)
        return render(request, "alerts/unsubscribed.html", {"unknown": False})
    # A GET only asks: mail scanners follow links, and must not unsubscribe anyone.
    return render(request, "alerts/unsubscribe.html", {"alert": alert})
