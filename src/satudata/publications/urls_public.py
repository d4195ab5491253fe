"""Public pages of published publications under /publikasi/ (views_public.py)."""

from django.urls import path

from satudata.publications import views_public

app_name = "publications_public"

urlpatterns = [
    path("", views_public.publication_list, name="list"),
    path("feed.atom", views_public.feed, name="feed"),
    path("<slug:slug>/", views_public.publication_detail, name="detail"),
    # size: square | portrait | landscape (publications.choices.CardSize)
    path("<slug:slug>/kartu/<str:size>.png", views_public.card_image, name="card"),
]
