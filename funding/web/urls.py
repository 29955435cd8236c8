from django.urls import path

from funding.web import countries, disagreements, methodology, organizations, programs, views

urlpatterns = [
    path("", views.dashboard, name="home"),
    path("allocations/", views.allocation_list, name="allocation-list"),
    path("allocations/<int:pk>/", views.allocation_detail, name="allocation-detail"),
    path("reconciliation/", views.reconciliation, name="reconciliation"),
    path("sources/", views.source_list, name="source-list"),
    path("sources/<slug:key>/", views.source_detail, name="source-detail"),
    path("programs/", programs.program_list, name="program-list"),
    path("programs/<slug:slug>/", programs.program_detail, name="program-detail"),
    path("objectives/", programs.objective_list, name="objective-list"),
    path("objectives/<int:number>/", programs.objective_detail, name="objective-detail"),
    path("countries/", countries.country_list, name="country-list"),
    path("countries/<str:iso2>/", countries.country_detail, name="country-detail"),
    path("disagreements/", disagreements.disagreement_list, name="disagreement-list"),
    path("disagreements/<slug:key>/", disagreements.disagreement_detail, name="disagreement-detail"),
    path("organizations/", organizations.organization_list, name="organization-list"),
    path("organizations/<slug:slug>/", organizations.organization_detail, name="organization-detail"),
    path("methodology/", methodology.methodology, name="methodology"),
]
