"""The operator's draft editor, its autosave and submission (views_editor.py)."""

from django.urls import path

from satudata.publications import views_editor

urlpatterns = [
    path("<int:pk>/edit/", views_editor.publication_edit, name="edit"),
    path("<int:pk>/autosave", views_editor.publication_autosave, name="autosave"),
    path("<int:pk>/submit/", views_editor.publication_submit, name="submit"),
]
