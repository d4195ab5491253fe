"""Public pages of published publications under /publikasi/ (views_public.py)."""

app_name = "publications_public"

urlpatterns: list = []
