from __future__ import annotations

from django.urls import path

from satudata.catalog import views, views_import

urlpatterns = [
    path("decrees/", views.decree_list, name="decree-list"),
    path("decrees/new/", views.decree_create, name="decree-create"),
    path("decrees/<int:pk>/", views.decree_detail, name="decree-detail"),
    path("decrees/<int:pk>/document.pdf", views.decree_document, name="decree-document"),
    path("decrees/<int:pk>/edit/", views.decree_edit, name="decree-edit"),
    path("decrees/<int:pk>/import/", views_import.data_list_import, name="decree-import"),
    path("data-list-template.<str:fmt>", views_import.template_download, name="data-list-template"),
    path("items/", views.item_list, name="item-list"),
    path("items/new/", views.item_create, name="item-create"),
    path("items/<int:pk>/", views.item_detail, name="item-detail"),
    path("items/<int:pk>/edit/", views.item_edit, name="item-edit"),
]
