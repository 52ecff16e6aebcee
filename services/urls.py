from django.urls import path, re_path

from . import complaint_views, views

urlpatterns = [
    # 互动交流 → 我要投诉 / 答复公开 (Django views, matched before Wagtail's catch-all)
    path("hdjl/ts/", complaint_views.complaint_form, name="complaint_form"),
    path("hdjl/dfgk/", complaint_views.complaint_replies, name="complaint_replies"),
    # 办件查询
    path("cx/", views.lookup, name="case_lookup"),
    path("cx/correction/", views.lookup_correction, name="case_correction"),
    path("cx/rating/", views.lookup_rating, name="case_rating"),
    path("cx/withdraw/", views.lookup_withdraw, name="case_withdraw"),
    # Under any service guide's URL: <guide url>apply/, then check/, done/ and receipt/.
    re_path(r"^(?P<guide_path>.+/)apply/$", views.apply, name="apply"),
    re_path(r"^(?P<guide_path>.+/)apply/check/$", views.apply_check, name="apply_check"),
    re_path(r"^(?P<guide_path>.+/)apply/done/$", views.apply_done, name="apply_done"),
    re_path(r"^(?P<guide_path>.+/)apply/receipt/$", views.apply_receipt, name="apply_receipt"),
]
