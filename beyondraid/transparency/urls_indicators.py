from django.urls import path

from . import views_indicators

app_name = "indicators"

urlpatterns = [
    path("", views_indicators.indicator_table, name="index"),
    path("definitions/", views_indicators.definition_list, name="definitions"),
    path("definitions/<slug:code>/", views_indicators.definition_detail, name="definition"),
    path("completeness/", views_indicators.completeness_table, name="completeness"),
]
