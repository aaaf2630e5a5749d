from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from showcase.alerts.models import Frequency
from showcase.core.form_rendering import PUBLIC_FORM_RENDERER


class AlertForm(forms.Form):
    """Only what an alert needs: where to send it and how often (CNIL: collect the minimum)."""

    default_renderer = PUBLIC_FORM_RENDERER

    email = forms.EmailField(label=_("Your e-mail address"), max_length=254)
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=Frequency.choices,
        initial=Frequency.DAILY,
        widget=forms.RadioSelect,
    )
    query = forms.CharField(widget=forms.HiddenInput, required=False, max_length=1000)
