"""The dissemination report pages (views_report.py) and the letterhead settings."""

from django.urls import path

from satudata.reports import views_report

urlpatterns = [
    path("", views_report.report_list, name="list"),
    path("letterhead/", views_report.letterhead_edit, name="letterhead"),
    path("<int:pk>/", views_report.report_detail, name="detail"),
    path("<int:pk>/status.json", views_report.report_status, name="status"),
    path("<int:pk>/narrative/", views_report.report_narrative, name="narrative"),
    path("<int:pk>/generate/", views_report.report_generate, name="generate"),
    path("<int:pk>/finalise/", views_report.report_finalise, name="finalise"),
    path("<int:pk>/download/<str:kind>/", views_report.report_download, name="download"),
]
