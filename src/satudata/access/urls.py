"""Public routes of access requests: the request form and the time-limited download link."""

from django.urls import path

from satudata.access import views

urlpatterns = [
    path("dataset/<slug:slug>/request/", views.request_create, name="access-request-create"),
    path("access/sent/", views.request_sent, name="access-request-sent"),
    path("access/<str:token>/", views.grant_download, name="access-grant-download"),
    path("access/<str:token>/data.<str:fmt>", views.grant_file, name="access-grant-file"),
]
