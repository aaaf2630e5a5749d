"""The contact form: what a home seeker types, checked strictly and explained kindly."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, cast

import phonenumbers
from django import forms
from django.conf import settings
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from showcase.core.form_rendering import PUBLIC_FORM_RENDERER
from showcase.listings.models import Agency, PropertyType

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import QueryDict

MIN_FILL_SECONDS = 3
MAX_FORM_AGE = 24 * 3600
_signer = signing.TimestampSigner(salt="leads.form-started")


def started_token() -> str:
    return _signer.sign(str(int(timezone.now().timestamp())))


class ContactForm(forms.Form):
    default_renderer = PUBLIC_FORM_RENDERER
    name = forms.CharField(label=_("Your name"), max_length=100)
    email = forms.EmailField(label=_("Your e-mail"), max_length=254)
    phone = forms.CharField(label=_("Your phone (optional)"), max_length=30, required=False)
    message = forms.CharField(
        label=_("Your message"),
        max_length=3000,
        min_length=10,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    consent = forms.BooleanField(
        label=_("I agree to be contacted by the agency about this request."), required=True
    )
    # Left empty by people; bots fill it in.
    website = forms.CharField(label=_("Leave this field empty"), required=False, max_length=200)
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["started"] = started_token()
        self.fields["name"].widget.attrs.update({"autocomplete": "name"})
        self.fields["email"].widget.attrs.update({"autocomplete": "email"})
        self.fields["phone"].widget.attrs.update({"autocomplete": "tel", "inputmode": "tel"})
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    def clean_name(self) -> str:
        # No line breaks or control characters: the name ends up in e-mail headers.
        name = re.sub(r"[\x00-\x1f\x7f]+", " ", self.cleaned_data["name"]).strip()
        if not name:
            raise forms.ValidationError(_("Please give your name."))
        return name

    def clean_phone(self) -> str:
        raw = self.cleaned_data["phone"].strip()
        if not raw:
            return ""
        try:
            number = phonenumbers.parse(raw, "FR")
        except phonenumbers.NumberParseException as exc:
            raise forms.ValidationError(_("This does not look like a phone number.")) from exc
        if not phonenumbers.is_valid_number(number):
            raise forms.ValidationError(_("This does not look like a valid phone number."))
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what Form.clean() returns, typed without its None
        if data.get("website"):
            raise forms.ValidationError(
                _(
                    "Your message looks automatic. Please leave the last field empty and send again."
                ),
                code="honeypot",
            )
        try:
            started = int(_signer.unsign(data.get("started") or "", max_age=MAX_FORM_AGE))
        except (signing.BadSignature, ValueError):
            # Bound to request.POST (an immutable QueryDict) or, in tests, a dict: a copy
            # of either takes the renewed token.
            renewed = cast("QueryDict | dict[str, Any]", self.data).copy()
            renewed["started"] = started_token()
            self.data = renewed
            raise forms.ValidationError(
                _("This form has expired. Please check your message and send it again."),
                code="expired",
            ) from None
        if timezone.now().timestamp() - started < getattr(
            settings, "LEADS_MIN_FILL_SECONDS", MIN_FILL_SECONDS
        ):
            raise forms.ValidationError(
                _("That was very fast! Please check your message and send it again."),
                code="too_fast",
            )
        return data


PROPERTY_FIELDS = ("agency", "property_type", "city", "zip_code", "surface", "rooms")


class SellerForm(ContactForm):
    """The seller page: the property an owner wants valued or sold, then how to reach them.

    `agencies` are the site's published agencies; with one only, it is chosen already."""

    agency = forms.ModelChoiceField(
        label=_("Agency"), queryset=Agency.objects.none(), empty_label=_("Choose an agency")
    )
    property_type = forms.ChoiceField(label=_("Type of property"), choices=PropertyType.choices)
    city = forms.CharField(label=_("Town"), max_length=120)
    zip_code = forms.CharField(label=_("Postcode"), max_length=5)
    surface = forms.IntegerField(label=_("Living area (m²)"), min_value=1, max_value=100_000)
    rooms = forms.IntegerField(
        label=_("Number of rooms (optional)"), min_value=1, max_value=100, required=False
    )
    message = forms.CharField(
        label=_("Anything to add? (optional)"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    consent = forms.BooleanField(
        label=_("I agree to be contacted by the agency about this property."), required=True
    )

    field_order = [
        *PROPERTY_FIELDS,
        "name",
        "email",
        "phone",
        "message",
        "consent",
    ]

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["agency"])
        field.queryset = agencies
        choices = list(agencies[:2])
        if len(choices) == 1:
            self.initial.setdefault("agency", choices[0].pk)
        self.fields["city"].widget.attrs.update({"autocomplete": "address-level2"})
        self.fields["zip_code"].widget.attrs.update(
            {"autocomplete": "postal-code", "inputmode": "numeric", "pattern": "[0-9]{5}"}
        )
        self.fields["surface"].widget.attrs.update({"inputmode": "numeric"})

    def property_fields(self) -> list[forms.BoundField]:
        """The fields about the property, in order (the page's first group)."""
        return [self[name] for name in PROPERTY_FIELDS]

    def contact_fields(self) -> list[forms.BoundField]:
        """The visible fields about the owner (the page's second group), honeypot included."""
        return [f for f in self.visible_fields() if f.name not in PROPERTY_FIELDS]

    def clean_city(self) -> str:
        city = re.sub(r"[\x00-\x1f\x7f]+", " ", self.cleaned_data["city"]).strip()
        if not city:
            raise forms.ValidationError(_("Please give the town."))
        return city

    def clean_zip_code(self) -> str:
        code = self.cleaned_data["zip_code"].strip()
        if not re.fullmatch(r"\d{5}", code):
            raise forms.ValidationError(_("A French postcode has five digits, e.g. 69003."))
        return code

    def valuation(self) -> dict[str, Any]:
        """The property as `lead_receive(valuation=...)` takes it."""
        data = self.cleaned_data
        return {key: data.get(key) for key in PROPERTY_FIELDS if key != "agency"}
