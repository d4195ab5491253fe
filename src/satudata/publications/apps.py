from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationsConfig(AppConfig):
    name = "satudata.publications"
    verbose_name = _("Publications")

    def ready(self) -> None:
        from satudata.core.jobs import recovery_sweep_register
        from satudata.publications.posting import posts_interrupted_fail

        # A worker killed mid-post leaves the post "posting": its recovery turns it failed.
        recovery_sweep_register(posts_interrupted_fail)
