from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "disclosure"
    verbose_name = _("政府信息公开")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        """Fill what the core asks of this app: the disclosure request as a case kind, the home
        page's latest disclosures, the catalogue as an alert source, the on-time answers of requests
        (区县排位) and the folder of stored reply files."""
        from portal.cases.kinds import register
        from portal.cases.statistics import request_deadline_counts
        from portal.selectors import latest_documents
        from portal.uploads.files import register_folder

        from . import (
            alerts,
            selectors,
            signals,  # noqa: F401 - receivers
        )
        from .requests import actions as request_actions
        from .requests import selectors as request_selectors
        from .requests.kind import REQUEST_KIND

        register(REQUEST_KIND)
        alerts.register()
        latest_documents.register(selectors.latest_documents)
        request_deadline_counts.register(request_selectors.request_deadline_counts)
        register_folder(request_actions.UPLOAD_FOLDER, request_actions.referenced_files)
