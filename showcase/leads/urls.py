from __future__ import annotations

from django.urls import path

from showcase.leads import views

urlpatterns = [
    path("contact/annonce/<int:pk>/", views.contact_listing, name="lead-listing"),
    path("contact/agence/<int:pk>/", views.contact_agency, name="lead-agency"),
    path("estimer-mon-bien/", views.seller, name="seller"),
    path("contact/merci/", views.thanks, name="lead-thanks"),
]
