"""Read-only admin of access requests: decisions go through the review pages (audited)."""

from __future__ import annotations

from django.contrib import admin

from satudata.access.models import AccessDownload, AccessRequest


@admin.register(AccessRequest)
class AccessRequestAdmin(admin.ModelAdmin):
    list_display = ("pk", "dataset", "institution", "state", "created_at", "expires_at")
    list_filter = ("state",)
    exclude = ("token_hash",)

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(AccessDownload)
class AccessDownloadAdmin(admin.ModelAdmin):
    list_display = ("request", "format", "at")

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
