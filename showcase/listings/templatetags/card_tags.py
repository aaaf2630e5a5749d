"""`{% listing_card listing %}`: a listing's card, rendered once and reused (cards.py)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from showcase.listings.cards import render_card
from showcase.listings.models import Listing

register = template.Library()


@register.simple_tag(takes_context=True)
def listing_card(context: template.Context, listing: Listing) -> SafeString:
    return render_card(context, listing)
