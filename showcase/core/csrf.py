"""CSRF protection of the public forms without a per-visitor token in the page.

Why: every anonymous page is shared by every visitor, from Django's page cache and from
nginx's (deploy/nginx/). A token in the HTML would be everybody's token, and a CSRF
cookie would make each response private. So the public forms (contact, seller, alert
sign-up and confirmation) are protected by what the browser itself says about where a
POST comes from, which a page of another site cannot forge:

- `Origin` (sent on every POST by current browsers) must be this request's own origin:
  its scheme and the host the tenancy middleware resolved to this site. Another site,
  another tenant's domain, a sandboxed frame ("null"), http for https: refused.
- Without `Origin`, `Sec-Fetch-Site` must say "same-origin"; without both, the `Referer`
  must be a page of this origin. A request saying none of these is refused: it cannot
  be told from a forgery (privacy tools that strip all three are rare and get the page
  below, not an error).

Embedding stays accepted: the agency's page frames Vitrine, and the framed page posts to
Vitrine's own origin, so its `Origin` is ours. SameSite cookies are kept as they are.

A refusal loses nothing: a 403 page says what happened and shows what was typed in a
form that sends it again, from our own page this time (one press, the visitor's own).
These views can change nothing a session holds, so they need no token; the admin and any
logged-in page keep Django's token CSRF (CsrfViewMiddleware, untouched for them).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, cast

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from showcase.core.origins import posted_from

logger = logging.getLogger(__name__)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def request_origin(request: HttpRequest) -> str:
    """The origin this request was sent to (`https://host[:port]`), as the browser names it."""
    return f"{'https' if request.is_secure() else 'http'}://{request.get_host()}"


def is_same_origin_post(request: HttpRequest) -> bool:
    """Whether the browser says this request was sent by a page of the site it targets."""
    return posted_from(
        request_origin(request),
        origin=request.headers.get("Origin"),
        fetch_site=request.headers.get("Sec-Fetch-Site"),
        referer=request.headers.get("Referer"),
    )


def _typed_values(request: HttpRequest, form: type[forms.Form] | None) -> list[tuple[str, str]]:
    """(label, value) of what the visitor typed or chose, in the form's order."""
    if form is None:
        return []
    shown = []
    for name, field in form.base_fields.items():
        if isinstance(field.widget, forms.HiddenInput) or isinstance(field, forms.BooleanField):
            continue
        value = request.POST.get(name, "").strip()
        if not value:
            continue
        if isinstance(field, forms.ModelChoiceField):
            continue  # kept in the form sent again; its label needs the site's rows
        if isinstance(field, forms.ChoiceField):
            # Flat (value, label) pairs here: the public forms' choices have no groups.
            pairs = cast("Iterable[tuple[Any, Any]]", field.choices)
            labels = {str(key): str(label) for key, label in pairs}
            value = labels.get(value, value)
        shown.append((str(field.label or name), value))
    return shown


def refused(request: HttpRequest, form: type[forms.Form] | None = None) -> HttpResponse:
    """The 403 page of a cross-site (or unidentified) POST to a public form."""
    logger.info(
        "Refused a POST to %s not sent from %s (Origin %r, Sec-Fetch-Site %r)",
        request.path,
        request_origin(request),
        request.headers.get("Origin"),
        request.headers.get("Sec-Fetch-Site"),
    )
    # Ticked boxes (consent above all) are not carried over: a page of another site could
    # have ticked them, so the visitor ticks them again on our own form.
    boxes = {
        name
        for name, field in (form.base_fields.items() if form else ())
        if isinstance(field, forms.BooleanField)
    }
    posted = [
        (name, value)
        for name, values in request.POST.lists()
        if name != "csrfmiddlewaretoken" and name not in boxes
        for value in values
    ]
    context = {"posted": posted, "typed": _typed_values(request, form)}
    return render(request, "403_cross_site.html", context, status=403)


def same_origin_post(
    form: type[forms.Form] | None = None,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Protect a public form's view by the browser's Origin check instead of a token.

    `form` is the form class whose labels the refusal page shows the typed values with.
    Django's test client marks its requests as exempt from CSRF checks unless built with
    `enforce_csrf_checks=True`; this check follows the same flag.
    """

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            exempt = getattr(request, "_dont_enforce_csrf_checks", False)
            if request.method not in SAFE_METHODS and not exempt:
                if not is_same_origin_post(request):
                    return refused(request, form)
            return view(request, *args, **kwargs)

        # The check above replaces CsrfViewMiddleware's token, which needs a cookie.
        wrapped.csrf_exempt = True  # type: ignore[attr-defined]
        return wrapped

    return decorate
