from django.urls import path

from . import views

urlpatterns = [
    path("cx/", views.lookup, name="case_lookup"),
    path("cx/correction/", views.lookup_correction, name="case_correction"),
    path("cx/rating/", views.lookup_rating, name="case_rating"),
    path("cx/withdraw/", views.lookup_withdraw, name="case_withdraw"),
]
