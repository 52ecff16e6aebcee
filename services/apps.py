from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "services"
    verbose_name = _("办事服务")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        """Fill what the core asks of this app: its case kinds, the ratings of every case, the
        licensing decisions the annual report counts, its dataset in the open-data catalogue, the folder of stored materials, and the
        published complaint replies in the site search; new 区县排位 weights purge the
        published figures."""
        from django.db.models.signals import post_delete, post_save

        from portal.cases import ratings
        from portal.cases.actions import case_event_committed
        from portal.cases.kinds import register
        from portal.cases.statistics import licence_decisions
        from portal.cases.views import other_lookup
        from portal.editorial.setup import LEAD_GROUP, register_case_group_permissions
        from portal.registry import open_datasets
        from portal.search import register_search_source
        from portal.uploads.files import register_folder

        from . import checks  # noqa: F401 (registers the system checks)
        from .applications import actions as application_actions
        from .applications.kind import APPLICATION_KIND
        from .appointments import views as appointment_views
        from .appointments.setup_admin import BOOKING_SETUP_PERMISSIONS
        from .booklets import signals as booklet_signals
        from .complaints import search as complaint_search
        from .complaints.kind import COMPLAINT_KIND
        from .complaints.models import Complaint
        from .ratings import actions as rating_actions
        from .ratings import selectors as rating_selectors
        from .ratings.models import LeagueWeights
        from .selectors import licence_decision_count
        from .structured_data import service_items_dataset
        from .supervision import actions as supervision_actions
        from .supervision.kind import RECTIFICATION_KIND

        booklet_signals.connect()
        # 办件负责人 set up their centres' bookable services (预约设置, scoped to their subtree).
        register_case_group_permissions(LEAD_GROUP, *BOOKING_SETUP_PERMISSIONS)
        open_datasets.register(service_items_dataset)
        register(APPLICATION_KIND)
        register(COMPLAINT_KIND)
        register(RECTIFICATION_KIND)
        other_lookup.register(appointment_views.cx_lookup)
        ratings.record_rating.register(rating_actions.rating_record)
        ratings.rating_for_case.register(rating_selectors.rating_for_case)
        ratings.rating_choices.register(rating_selectors.rating_choices)
        licence_decisions.register(licence_decision_count)
        register_folder(application_actions.UPLOAD_FOLDER, application_actions.referenced_files)
        register_folder(supervision_actions.UPLOAD_FOLDER, supervision_actions.referenced_files)
        register_search_source(complaint_search.REPLIES_SOURCE)
        post_save.connect(
            complaint_search.on_complaint_saved, sender=Complaint, dispatch_uid="complaint-search"
        )
        post_delete.connect(
            complaint_search.on_complaint_deleted, sender=Complaint, dispatch_uid="complaint-search"
        )
        case_event_committed.connect(
            rating_actions.on_case_event_committed, dispatch_uid="league-case-closed-purge"
        )
        post_save.connect(
            rating_actions.on_league_weights_saved,
            sender=LeagueWeights,
            dispatch_uid="league-weights-purge",
        )
