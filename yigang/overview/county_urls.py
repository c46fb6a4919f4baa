from django.urls import path

from . import county, regions

app_name = "county"

urlpatterns = [
    path("", county.town_list, name="towns"),
    path("xlsx/", county.town_xlsx, name="towns_xlsx"),
    path("<int:pk>/", county.town_detail, name="town"),
    # Above the county (issue 25): the viewer's own places side by side, then each region's level below.
    path("regions/", regions.top_list, name="regions"),
    path("regions/xlsx/", regions.top_xlsx, name="regions_xlsx"),
    path("r/<slug:code>/", regions.region_list, name="region"),
    path("r/<slug:code>/xlsx/", regions.region_xlsx, name="region_xlsx"),
]
