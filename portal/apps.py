from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("门户")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import navigation
        from .alerts import signals as alert_signals
        from .cases import notifications, signals  # noqa: F401 - receivers
        from .frontcache import purge
        from .media import signals as media_signals  # noqa: F401 - receivers
        from .security import admin_csp, checks, sessions, throttle  # noqa: F401 - receivers

        admin_csp.install()
        navigation.connect()
        self._connect_restricted_paths()
        self._connect_search_synonyms()
        purge.connect()
        alert_signals.connect()

    @staticmethod
    def _connect_search_synonyms():
        """An editor's synonym takes effect at every process's next query: a save or a delete
        sets a new shared version (portal.search.synonyms_changed)."""
        from django.db.models.signals import post_delete, post_save

        from .search import synonyms_changed
        from .search_synonyms import SearchSynonym

        for signal in (post_save, post_delete):
            signal.connect(synonyms_changed, sender=SearchSynonym, dispatch_uid="search-synonyms")

    @staticmethod
    def _connect_restricted_paths():
        """The cached list of restricted paths (portal.pages.public_q) is dropped whenever a
        restriction is saved or deleted (a deleted page takes its restriction with it) and
        whenever a page moves (its path changes)."""
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import PageViewRestriction
        from wagtail.signals import post_page_move

        from .pages import forget_restricted_paths

        for signal in (post_save, post_delete):
            signal.connect(
                forget_restricted_paths, sender=PageViewRestriction, dispatch_uid="restricted-paths"
            )
        post_page_move.connect(forget_restricted_paths, dispatch_uid="restricted-paths")
