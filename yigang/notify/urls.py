from django.urls import path

from . import views

app_name = "notify"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("badge/", views.badge, name="badge"),
    path("<int:pk>/read/", views.read, name="read"),
    path("read-all/", views.read_all, name="read_all"),
    path("robots/", views.robots, name="robots"),
    path("robots/<int:pk>/active/", views.robot_active, name="robot_active"),
    path("robots/<int:pk>/test/", views.robot_test, name="robot_test"),
    path("robots/<int:pk>/remove/", views.robot_remove, name="robot_remove"),
    path("deliveries/", views.deliveries, name="deliveries"),
]
