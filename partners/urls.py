from django.urls import path

from partners import views

urlpatterns = [
    path("countries/", views.country_list, name="country-list"),
    path("countries/<str:iso2>/", views.country_detail, name="country-detail"),
]
