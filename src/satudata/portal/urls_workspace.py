"""Walidata's portal workspace under /app/portal/ (SOP step 3)."""

from django.urls import path

from satudata.portal import views_workspace

urlpatterns = [
    path("datasets/", views_workspace.dataset_list, name="portal-datasets"),
    path("datasets/publish/", views_workspace.dataset_publish, name="portal-publish"),
    path("datasets/<int:pk>/withdraw/", views_workspace.dataset_withdraw, name="portal-withdraw"),
]
