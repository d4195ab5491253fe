"""The public portal at the site root (no login) and its APIs."""

from django.urls import path

from satudata.portal import ckan, views_files, views_public, views_search

urlpatterns = [
    path("", views_public.home, name="portal-home"),
    path("dataset/", views_search.search, name="dataset-search"),
    path("dataset/<slug:slug>/", views_public.dataset_detail, name="dataset-detail"),
    # fmt: csv | xlsx | json | stat.json (portal.choices.DownloadFormat)
    path(
        "dataset/<slug:slug>/data.<str:fmt>", views_files.dataset_download, name="dataset-download"
    ),
    path(
        "dataset/<slug:slug>/datapackage.json", views_files.datapackage, name="dataset-datapackage"
    ),
    path("organization/", views_public.agency_list, name="portal-agency-list"),
    path("organization/<slug:slug>/", views_public.agency_detail, name="portal-agency"),
    path("group/", views_public.topic_list, name="portal-topic-list"),
    path("group/<slug:slug>/", views_public.topic_detail, name="portal-topic"),
    path("release-calendar/", views_public.release_calendar, name="portal-release-calendar"),
    path("sitemap.xml", views_public.sitemap, name="sitemap"),
    path("robots.txt", views_public.robots_txt, name="robots"),
    path("feeds/datasets.atom", views_public.feed, name="dataset-feed"),
    path("catalog.jsonld", views_files.catalog_jsonld, name="dcat-jsonld"),
    path("catalog.ttl", views_files.catalog_ttl, name="dcat-ttl"),
    path("api/3/action/<str:name>", ckan.action, name="ckan-action"),
    # CKAN serves the unversioned path too, and ckanapi calls it by default.
    path("api/action/<str:name>", ckan.action, name="ckan-action-unversioned"),
]
