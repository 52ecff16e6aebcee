from django.urls import path

from . import views

urlpatterns = [
    path("dy/", views.subscribe, name="alerts_subscribe"),
    path("dy/confirm/<str:token>/", views.confirm, name="alerts_confirm"),
    path("dy/unsubscribe/<str:token>/", views.unsubscribe, name="alerts_unsubscribe"),
]
