from django.urls import path

from .opendata import views as opendata_views
from .requests import views as request_views

# Matched before Wagtail's catch-all (portal/urls.py includes this module first); /xxgk/ itself
# is the catalogue page.
urlpatterns: list = [
    # 数据下载: the catalogue as bulk files (disclosure/opendata/)
    path(
        "xxgk/sjxz/disclosures.<str:fmt>",
        opendata_views.download,
        name="disclosure_open_data",
    ),
    path("xxgk/ysqgk/", request_views.request_form, name="disclosure_request_form"),
    path("xxgk/ysqgk/confirm/", request_views.request_confirm, name="disclosure_request_confirm"),
    path("xxgk/ysqgk/done/", request_views.request_done, name="disclosure_request_done"),
    path("xxgk/ysqgk/reply/", request_views.reply_lookup, name="disclosure_request_reply_lookup"),
    path(
        "xxgk/ysqgk/reply/<str:case_number>/",
        request_views.reply_detail,
        name="disclosure_request_reply",
    ),
    path(
        "xxgk/ysqgk/reply/<str:case_number>/files/<int:pk>/",
        request_views.reply_file,
        name="disclosure_request_reply_file",
    ),
]
