from __future__ import annotations

from django.urls import path

from showcase.alerts import views

urlpatterns = [
    path("alertes/nouvelle/", views.create, name="alert-create"),
    path("alertes/envoyee/", views.pending, name="alert-pending"),
    path("alertes/confirmer/<str:token>/", views.confirm, name="alert-confirm"),
    path("alertes/desabonner/<str:token>/", views.unsubscribe, name="alert-unsubscribe"),
]
