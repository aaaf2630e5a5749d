from __future__ import annotations

from django.urls import path

from showcase.listings import views

urlpatterns = [
    path("", views.home, name="home"),
]
