from django.urls import path

from funding import views

urlpatterns = [
    path("", views.dashboard, name="home"),
    path("allocations/", views.allocation_list, name="allocation-list"),
    path("allocations/<int:pk>/", views.allocation_detail, name="allocation-detail"),
    path("reconciliation/", views.reconciliation, name="reconciliation"),
    path("sources/", views.source_list, name="source-list"),
    path("sources/<slug:key>/", views.source_detail, name="source-detail"),
]
