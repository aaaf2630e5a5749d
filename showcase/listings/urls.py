from __future__ import annotations

from django.urls import path, re_path

from showcase.core import framing
from showcase.listings import views
from showcase.listings.map_points import map_points
from showcase.listings.place_suggestions import place_suggestions

urlpatterns = [
    path("", views.home, name="home"),
    path("annonces/", views.search, name="listing-search"),
    path("annonces/carte.json", map_points, name="listing-map-points"),
    path("annonces/lieux.json", place_suggestions, name="listing-places"),
    re_path(
        r"^annonces/(?P<pk>\d+)(?:-(?P<slug>[-a-z0-9]*))?/$", views.detail, name="listing-detail"
    ),
    path("agences/", views.agency_list, name="agency-list"),
    re_path(
        r"^agences/(?P<pk>\d+)(?:-(?P<slug>[-a-z0-9]*))?/$",
        views.agency_detail,
        name="agency-detail",
    ),
    path("embed/annonces/", framing.embeddable(views.search), {"embed": True}, name="embed-search"),
    re_path(
        r"^embed/annonces/(?P<pk>\d+)(?:-(?P<slug>[-a-z0-9]*))?/$",
        framing.embeddable(views.detail),
        {"embed": True},
        name="embed-listing-detail",
    ),
]
