from django.urls import path

from . import county

app_name = "county"

urlpatterns = [
    path("", county.town_list, name="towns"),
    path("xlsx/", county.town_xlsx, name="towns_xlsx"),
    path("<int:pk>/", county.town_detail, name="town"),
]
