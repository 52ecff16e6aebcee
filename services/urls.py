from django.urls import path, re_path

from .applications import views as apply_views
from .complaints import views as complaint_views
from .ratings import views as rating_views

urlpatterns = [
    # 互动交流 → 我要投诉 / 答复公开 (Django views, matched before Wagtail's catch-all)
    path("hdjl/ts/", complaint_views.complaint_form, name="complaint_form"),
    path("hdjl/dfgk/", complaint_views.complaint_replies, name="complaint_replies"),
    path("hdjl/dfgk/<int:pk>/", complaint_views.complaint_reply, name="complaint_reply"),
    # 互动交流 → 好差评结果公开
    path("hdjl/hcp/", rating_views.rating_results, name="rating_results"),
    path("hdjl/hcp/xlsx/", rating_views.rating_results_xlsx, name="rating_results_xlsx"),
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
]
