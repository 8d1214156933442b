from django.contrib import admin
from django.urls import path

from . import views

admin.site.site_header = "Beyond the Raid — records administration"
admin.site.site_title = "Beyond the Raid"
admin.site.index_title = "Records of the data standard"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
