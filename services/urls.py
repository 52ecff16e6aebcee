from django.urls import include, path, re_path

from .applications import views as apply_views
from .appointments import views as appointment_views
from .booklets import views as booklet_views
from .complaints import views as complaint_views
from .ratings import views as rating_views
from .supervision import views as supervision_views

urlpatterns = [
    # 进屏: the lobby touch-screen mode
    path("", include("services.kiosk.urls")),
    # 互动交流 → 我要投诉 / 答复公开 (Django views, matched before Wagtail's catch-all)
    path("hdjl/ts/", complaint_views.complaint_form, name="complaint_form"),
    path("hdjl/dfgk/", complaint_views.complaint_replies, name="complaint_replies"),
    path("hdjl/dfgk/<int:pk>/", complaint_views.complaint_reply, name="complaint_reply"),
    # 预约办理: choose, book, confirmation (code once), calendar file; lookup/move/cancel under /cx/
    path("yy/", appointment_views.book_start, name="appointment_start"),
    path("yy/done/", appointment_views.book_done, name="appointment_done"),
    path("yy/ics/", appointment_views.book_ics, name="appointment_ics"),
    path("yy/<str:centre>/<str:service>/", appointment_views.book, name="appointment_book"),
    path("cx/yy/", appointment_views.lookup, name="appointment_lookup"),
    path("cx/yy/move/", appointment_views.lookup_move, name="appointment_move"),
    path("cx/yy/cancel/", appointment_views.lookup_cancel, name="appointment_cancel"),
    # 互动交流 → 好差评结果公开
    path("hdjl/hcp/", rating_views.rating_results, name="rating_results"),
    path("hdjl/hcp/xlsx/", rating_views.rating_results_xlsx, name="rating_results_xlsx"),
    # 互动交流 → 明察暗访结果公开
    path("hdjl/mcaf/", supervision_views.supervision_results, name="supervision_results"),
    # 互动交流 → 区县排位
    path("hdjl/pw/", rating_views.league_results, name="league_results"),
    path("hdjl/pw/xlsx/", rating_views.league_results_xlsx, name="league_results_xlsx"),
    # Under any service guide's URL: <guide url>apply/, then check/, done/ and receipt/.
    re_path(r"^(?P<guide_path>.+/)apply/$", apply_views.apply, name="apply"),
    re_path(r"^(?P<guide_path>.+/)apply/check/$", apply_views.apply_check, name="apply_check"),
    re_path(r"^(?P<guide_path>.+/)apply/done/$", apply_views.apply_done, name="apply_done"),
    re_path(
        r"^(?P<guide_path>.+/)apply/receipt/$", apply_views.apply_receipt, name="apply_receipt"
    ),
    # 印卡 under a guide's URL; 编册 under a centre's and under a 办事服务 index's (topic, district).
    re_path(
        r"^(?P<guide_path>.+/)card/(?P<size>a4|a5)/$", booklet_views.guide_card, name="guide_card"
    ),
    re_path(r"^(?P<centre_path>.+/)hb/$", booklet_views.centre_booklet, name="centre_booklet"),
    re_path(
        r"^(?P<index_path>.+/)hb/(?P<kind>topic|district)/(?P<key>[0-9A-Za-z_]{1,40})/$",
        booklet_views.index_booklet,
        name="index_booklet",
    ),
]
