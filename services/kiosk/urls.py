"""/kiosk/ and /kiosk/<centre>/ (the same pages for one centre's screen). The plain patterns come
first, so a centre code cannot shadow them."""

from django.urls import include, path

from . import views

pages = [
    path("", views.start, name="kiosk_start"),
    path("lookup/", views.lookup, name="kiosk_lookup"),
    path("centres/", views.centres, name="kiosk_centres"),
    path("centres/<str:code>/", views.centre_guides, name="kiosk_centre_guides"),
    path("topic/<slug:topic>/", views.topic, name="kiosk_topic"),
    path("guide/<int:guide_id>/", views.guide, name="kiosk_guide"),
]

urlpatterns = [
    path("kiosk/", include(pages)),
    path("kiosk/<str:centre>/", include(pages)),
]
