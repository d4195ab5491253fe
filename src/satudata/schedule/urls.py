from __future__ import annotations

from django.urls import path

from satudata.schedule import views

urlpatterns = [
    path("step-2/", views.step2, name="step2"),
    path("step-2/export.<str:fmt>", views.step2_export, name="step2-export"),
]
