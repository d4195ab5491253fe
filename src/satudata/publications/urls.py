"""Workspace pages of steps 4-6 under /app/publications/; each part in its own module."""

from django.urls import include, path

from satudata.publications import views

app_name = "publications"

urlpatterns = [
    path("", views.publication_list, name="list"),
    path("new/", views.publication_instruct, name="instruct"),
    path("<int:pk>/", views.publication_detail, name="detail"),
    path("<int:pk>/review/", views.publication_review, name="review"),
    path("<int:pk>/cancel/", views.publication_cancel, name="cancel"),
    path("<int:pk>/versions/<int:number>/", views.publication_version, name="version"),
    # The draft editor and autosave (views_editor.py).
    path("", include("satudata.publications.urls_editor")),
    # Tables, charts, cards and channel previews (views_blocks.py).
    path("", include("satudata.publications.urls_blocks")),
    # Channels and posting (step 6) (views_channels.py, views_posting.py).
    path("", include("satudata.publications.urls_posting")),
]
