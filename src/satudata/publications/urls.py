"""Workspace pages of steps 4-6 under /app/publications/ (views.py)."""

from django.urls import path

from satudata.publications import views

app_name = "publications"

urlpatterns = [
    path("", views.publication_list, name="list"),
    path("<int:pk>/", views.publication_detail, name="detail"),
]
