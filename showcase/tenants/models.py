"""Tenants: one agency website each, on its own domains, showing a scope of the cache."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from showcase.core.origins import parse_origin
from showcase.core.scope import SiteScopedQuerySet
from showcase.core.site import Site
from showcase.feeds.models import Feed
from showcase.listings.textformat import OPTIONS as TEXT_OPTIONS
from showcase.tenants.colours import contrast_ratio

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
LINK_TARGETS = [("_top", _("the agency's whole page")), ("_self", _("inside the frame"))]


def validate_colour(value: str) -> None:
    if not HEX_COLOUR.match(value or ""):
        raise ValidationError(_("Use a colour like #1d4e89."))


class TenantQuerySet(SiteScopedQuerySet["Tenant"]):
    def site_condition(self, site: Site) -> Q:
        """A tenant is its own site's; the platform owns none."""
        return Q(pk=site.tenant_id) if site.tenant_id is not None else Q(pk__in=[])


class Tenant(models.Model):
    """One agency website. Everything it shows is scoped by its `site()`."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    feeds = models.ManyToManyField(Feed, verbose_name=_("feeds"), related_name="tenants")
    # Optional narrowing of the feeds' catalogue (empty = everything).
    agency_ids = models.JSONField(
        _("upstream agency ids"),
        default=list,
        blank=True,
        help_text=_("Only these agencies of the feeds (empty: all)."),
    )
    transactions = models.JSONField(
        _("transaction kinds"),
        default=list,
        blank=True,
        help_text=_('Only these transactions, e.g. ["sell", "rent"] (empty: all).'),
    )
    agents = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("agents"), related_name="tenants", blank=True
    )

    # Branding.
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    primary_colour = models.CharField(
        _("primary colour"), max_length=7, default="#1d4e89", validators=[validate_colour]
    )
    accent_colour = models.CharField(
        _("accent colour"), max_length=7, default="#a63c0c", validators=[validate_colour]
    )
    default_language = models.CharField(
        _("default language"), max_length=5, choices=settings.LANGUAGES, default="fr"
    )
    languages = models.JSONField(
        _("languages offered"),
        default=list,
        blank=True,
        help_text=_("Language codes among fr, en, de (empty: all)."),
    )
    text_format = models.JSONField(
        _("description formatting"),
        default=list,
        blank=True,
        help_text=_("Gedeon `tf` options applied to descriptions (empty: the default set)."),
    )
    lead_email = models.EmailField(_("e-mail for contact requests"), blank=True)
    frame_origins = models.JSONField(
        _("sites allowed to embed"),
        default=list,
        blank=True,
        help_text=_("Origins such as https://www.my-agency.fr that may show the embedded search."),
    )
    embed_link_target = models.CharField(
        _("embedded links open in"), max_length=6, choices=LINK_TARGETS, default="_top"
    )

    # Legal information (docs/legal.md §4), when the feeds do not carry it.
    company_name = models.CharField(_("company name"), max_length=200, blank=True)
    legal_form = models.CharField(_("legal form"), max_length=100, blank=True)
    share_capital = models.CharField(_("share capital"), max_length=100, blank=True)
    registered_office = models.CharField(_("registered office"), max_length=300, blank=True)
    rcs = models.CharField(_("RCS number and city"), max_length=100, blank=True)
    vat_number = models.CharField(_("VAT number"), max_length=40, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    professional_card = models.CharField(_("professional card number"), max_length=100, blank=True)
    card_issuer = models.CharField(_("card issued by (CCI)"), max_length=200, blank=True)
    card_activities = models.CharField(_("activities on the card"), max_length=300, blank=True)
    financial_guarantee = models.CharField(_("financial guarantor"), max_length=300, blank=True)
    guarantee_amount = models.CharField(_("guarantee amount"), max_length=100, blank=True)
    holds_no_funds = models.BooleanField(_("holds no funds other than its fees"), default=False)
    rcp_insurer = models.CharField(_("professional liability insurer"), max_length=300, blank=True)
    mediator_name = models.CharField(_("consumer mediator"), max_length=200, blank=True)
    mediator_contact = models.CharField(_("mediator's address"), max_length=300, blank=True)
    mediator_website = models.URLField(_("mediator's website"), blank=True)
    publication_director = models.CharField(_("publication director"), max_length=200, blank=True)
    host_details = models.CharField(
        _("host (name, address, phone)"),
        max_length=300,
        blank=True,
        default="",
    )
    # Per agency otherwise (Agency.fee_schedule, or the feed's): never a second schedule.
    fee_schedule = models.TextField(
        _("fee schedule"),
        blank=True,
        help_text=_(
            "Shown on the fee page for the agencies that have no schedule of their own "
            "(none from their feed, none entered on the agency); HTML allowed."
        ),
    )
    fee_schedule_url = models.URLField(
        _("fee schedule link"),
        blank=True,
        help_text=_("For the same agencies: a link to the full schedule."),
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency website")
        verbose_name_plural = _("agency websites")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        for field in ("primary_colour", "accent_colour"):
            colour = getattr(self, field)
            if HEX_COLOUR.match(colour or "") and contrast_ratio(colour, "#ffffff") < 4.5:
                errors[field] = _(
                    "White text on %(colour)s has a contrast of %(ratio).1f:1; WCAG AA needs 4.5:1. "
                    "Choose a darker colour."
                ) % {"colour": colour, "ratio": contrast_ratio(colour, "#ffffff")}
        unknown = [o for o in self.text_format or [] if o not in TEXT_OPTIONS]
        if unknown:
            errors["text_format"] = _("Unknown options: %(options)s.") % {
                "options": ", ".join(unknown)
            }
        codes = {code for code, _name in settings.LANGUAGES}
        if any(code not in codes for code in self.languages or []):
            errors["languages"] = _("Use language codes among %(codes)s.") % {
                "codes": ", ".join(sorted(codes))
            }
        origins_error = self._clean_frame_origins()
        if origins_error:
            errors["frame_origins"] = origins_error
        if errors:
            raise ValidationError(errors)

    def _clean_frame_origins(self) -> str:
        """Normalises `frame_origins` to a list of `scheme://host[:port]` origins; the
        error message, or "" when every item is one."""
        value = self.frame_origins
        if value in (None, "", []):
            self.frame_origins = []
            return ""
        if not isinstance(value, list):
            return str(
                _('Give a list of origins, e.g. ["https://www.example.fr", "https://example.fr"].')
            )
        parsed = [parse_origin(item) for item in value]
        bad = [str(item)[:80] for item, origin in zip(value, parsed, strict=True) if not origin]
        if bad:
            return str(
                _(
                    "Origins are written like https://www.example.fr or http://localhost:8080: "
                    "a scheme, a host name and an optional port, without wildcard (*), path or "
                    "spaces. Not valid: %(bad)s"
                )
                % {"bad": ", ".join(bad)}
            )
        self.frame_origins = list(dict.fromkeys(o for o in parsed if o))
        return ""

    def site(self) -> Site:
        """This tenant as the `Site` its pages are scoped by (two queries, none when
        `domains` and `feeds` are prefetched)."""
        primary = next((d.host for d in self.domains.all() if d.is_primary), "")
        return Site(
            tenant=self,
            primary_host=primary,
            feed_ids=frozenset(feed.pk for feed in self.feeds.all()),
            agency_ids=frozenset(str(a) for a in self.agency_ids or []),
            transactions=frozenset(str(t) for t in self.transactions or []),
        )

    @property
    def offered_languages(self) -> list[str]:
        codes = [code for code, _name in settings.LANGUAGES]
        chosen = [code for code in codes if code in (self.languages or [])]
        return chosen or codes

    def branding(self) -> dict[str, Any]:
        from showcase.tenants.branding import branding

        return branding(self)


class Domain(models.Model):
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="domains")
    host = models.CharField(
        _("host name"),
        max_length=253,
        unique=True,
        help_text=_("Without scheme or port, e.g. www.my-agency.fr"),
    )
    is_primary = models.BooleanField(_("primary"), default=False)

    class Meta:
        ordering = ["-is_primary", "host"]
        verbose_name = _("domain")
        verbose_name_plural = _("domains")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant"], condition=Q(is_primary=True), name="one_primary_domain"
            )
        ]

    def __str__(self) -> str:
        return self.host

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.host = normalise_host(self.host)
        super().save(*args, **kwargs)


def normalise_host(host: str) -> str:
    """Lower-case, without port or trailing dot."""
    host = (host or "").strip().lower().rstrip(".")
    if host.startswith("["):
        return host.split("]")[0] + "]"
    return host.split(":")[0]
