from __future__ import annotations

from django.urls import path

from showcase.favourites import views

urlpatterns = [path("favoris/", views.favourites, name="favourites")]
