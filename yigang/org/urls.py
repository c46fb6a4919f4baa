from django.urls import path

from .views import bulk, chain, people, sectors, units

app_name = "org"

urlpatterns = [
    path("sectors/", sectors.sector_table, name="sectors"),
    path("sectors/add/", sectors.sector_add, name="sector_add"),
    path("sectors/sync/", sectors.sectors_sync, name="sectors_sync"),
    path("sectors/<int:pk>/words/", sectors.sector_words, name="sector_words"),
    path("supervisions/add/", sectors.supervision_add, name="supervision_add"),
    path("supervisions/<int:pk>/end/", sectors.supervision_end, name="supervision_end"),
    path("lint/", sectors.register_lint, name="lint"),
    path("chain/", chain.chain_page, name="chain"),
    path("units/", units.unit_list, name="units"),
    path("units/add/", units.unit_add, name="unit_add"),
    path("units/<int:pk>/", units.unit_detail, name="unit"),
    path("units/<int:pk>/posts/add/", units.post_add, name="post_add"),
    path("reorganise/", units.reorganise, name="reorganise"),
    path("people/", people.people_list, name="people"),
    path("people/add/", people.person_add, name="person_add"),
    path("people/<int:pk>/", people.person_detail, name="person"),
    path(
        "people/<int:pk>/duty-list/docx/",
        people.person_duty_list,
        {"fmt": "docx"},
        name="person_duty_list_docx",
    ),
    path(
        "people/<int:pk>/duty-list/xlsx/",
        people.person_duty_list,
        {"fmt": "xlsx"},
        name="person_duty_list_xlsx",
    ),
    path("tenures/appoint/", people.appoint, name="appoint"),
    path("tenures/<int:pk>/end/", people.tenure_end, name="tenure_end"),
    path("portfolios/", people.portfolio_list, name="portfolios"),
    path("portfolios/assign/", people.portfolio_assign, name="portfolio_assign"),
    path("portfolios/<int:pk>/end/", people.portfolio_end, name="portfolio_end"),
    path("bulk/", bulk.bulk_page, name="bulk"),
    path("bulk/template.xlsx", bulk.bulk_template, name="bulk_template"),
    path("bulk/export.xlsx", bulk.bulk_export, name="bulk_export"),
]
