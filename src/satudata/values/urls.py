from __future__ import annotations

from django.urls import path

from satudata.values import views, views_import

urlpatterns = [
    # Entry grid (helper A): the items an operator fills, and one item's grid for a period.
    path("", views.value_home, name="values-home"),
    path("<int:item_pk>/<str:period>/", views.value_grid, name="value-grid"),
    path("<int:item_pk>/<str:period>/history/", views.value_history, name="value-history"),
    # Spreadsheet (helper B): template of an agency for a period, and its upload.
    path(
        "template/<int:agency_pk>/<str:period>.<str:fmt>",
        views_import.values_template,
        name="values-template",
    ),
    path("upload/", views_import.values_upload, name="values-upload"),
]
