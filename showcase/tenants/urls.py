from __future__ import annotations

from django.urls import path

from showcase.tenants import views

urlpatterns = [
    path("mentions-legales/", views.legal_notice, name="legal-notice"),
    path("honoraires/", views.fee_schedule, name="fee-schedule"),
    path("donnees-personnelles/", views.privacy, name="privacy"),
]
