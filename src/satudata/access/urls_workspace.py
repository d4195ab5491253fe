"""Reviewing access requests under /app/access-requests/ (walidata, agency heads)."""

from django.urls import path

from satudata.access import views

urlpatterns = [
    path("", views.request_list, name="access-request-list"),
    path("<int:pk>/", views.request_detail, name="access-request-detail"),
    path("<int:pk>/decide/", views.request_decide, name="access-request-decide"),
    path("<int:pk>/letter/", views.request_letter, name="access-request-letter"),
]
