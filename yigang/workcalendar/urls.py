from django.urls import path

from . import views

app_name = "workcalendar"

urlpatterns = [
    path("", views.index, name="index"),
    path("enter/", views.enter, name="enter"),
    path("<int:year>/", views.year, name="year"),
]
