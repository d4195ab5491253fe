"""URL patterns of one part of the publications workspace (included by urls.py)."""

urlpatterns: list = []
