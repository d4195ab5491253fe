from __future__ import annotations

from django.urls import path

from satudata.audit import views

urlpatterns = [
    path("", views.audit_list, name="audit-list"),
    path("<int:pk>/", views.audit_detail, name="audit-detail"),
]
