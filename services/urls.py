from django.urls import path

from . import complaint_views

urlpatterns: list = [
    # 互动交流 → 我要投诉 / 答复公开 (Django views, matched before Wagtail's catch-all)
    path("hdjl/ts/", complaint_views.complaint_form, name="complaint_form"),
    path("hdjl/dfgk/", complaint_views.complaint_replies, name="complaint_replies"),
]
