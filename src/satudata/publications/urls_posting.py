"""Channels and posting (step 6), included by urls.py under /app/publications/."""

from django.urls import path

from satudata.publications import views_channels, views_posting

urlpatterns = [
    path("channels/", views_channels.channel_list, name="channel-list"),
    path("channels/new/", views_channels.channel_create, name="channel-create"),
    path("channels/<int:pk>/", views_channels.channel_edit, name="channel-edit"),
    path("<int:pk>/posts/publish/", views_posting.post_publish, name="post-publish"),
    path("posts/<int:pk>/retry/", views_posting.post_retry, name="post-retry"),
    path("posts/<int:pk>/proof/", views_posting.post_proof, name="post-proof"),
]
