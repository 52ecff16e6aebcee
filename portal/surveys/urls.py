from django.urls import path

from . import views

urlpatterns = [
    path("hdjl/wj/", views.survey_results, name="survey_results"),
    path("hdjl/wj/d/<str:token>/", views.survey_answer, name="survey_answer"),
]
