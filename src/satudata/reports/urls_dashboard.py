"""Walidata's dashboard (views_dashboard.py)."""

from django.urls import path

from satudata.reports import views_dashboard

urlpatterns = [path("", views_dashboard.dashboard, name="dashboard")]
