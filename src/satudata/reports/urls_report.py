"""The dissemination report pages (views_report.py)."""

from django.urls import path

from satudata.reports import views_report

urlpatterns = [path("", views_report.report_list, name="list")]
