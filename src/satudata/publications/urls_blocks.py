"""Tables, charts, cards and channel previews of a publication (views_blocks.py)."""

from django.urls import path

from satudata.publications import views_blocks

urlpatterns = [
    path("<int:pk>/blocks/options/", views_blocks.block_options_view, name="block-options"),
    path("<int:pk>/blocks/check/", views_blocks.block_check_view, name="block-check"),
    path("<int:pk>/preview/", views_blocks.publication_preview, name="preview"),
    path("<int:pk>/cards/", views_blocks.cards_generate_view, name="cards-generate"),
    path("<int:pk>/cards/<str:size>.png", views_blocks.card_image, name="card-image"),
]
