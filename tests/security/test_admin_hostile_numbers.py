"""Hostile numbers in the back office's date drill-down (`date_hierarchy`) are a bad filter
(Django's "?e=1"), never a server error (#16, point 8)."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from showcase.core.admin import SiteScopedAdmin

pytestmark = pytest.mark.django_db

BIG = "9" * 25
HOSTILE_DATES = [
    {"year": BIG},
    {"year": "9999"},
    {"year": "9999", "month": "12"},
    {"year": "2024", "month": BIG},
    {"year": "2024", "month": "1", "day": BIG},
]


def drilled_admins():
    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, SiteScopedAdmin) and model_admin.date_hierarchy
    ]


@pytest.mark.parametrize("parts", HOSTILE_DATES)
def test_a_hostile_date_drill_down_is_a_bad_filter_not_a_server_error(
    client, two_agencies, settings, parts
):
    settings.DEBUG = False
    client.raise_request_exception = False
    client.force_login(two_agencies["alice"])
    assert drilled_admins()
    for model, model_admin in drilled_admins():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        query = {f"{model_admin.date_hierarchy}__{name}": value for name, value in parts.items()}
        response = client.get(url, query)
        assert response.status_code == 302, (model, parts, response.status_code)
        assert response["Location"].endswith("?e=1")
