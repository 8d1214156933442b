from django.urls import path

from . import views, views_alerts, views_identified, views_support

app_name = "care"

urlpatterns = [
    path("providers/", views.directory, name="directory"),
    path("providers/<int:pk>/edit/", views.provider_edit, name="provider_edit"),
    path("refer/<str:code>/", views.refer, name="refer"),
    path("identified/", views_identified.identified_list, name="identified_list"),
    path("identified/new/", views_identified.identify, name="identify"),
    path("referrals/", views.referral_list, name="referral_list"),
    path("referrals/<str:code>/", views.referral_detail, name="referral_detail"),
    path("referrals/<str:code>/accept/", views.accept, name="accept"),
    path("referrals/<str:code>/decline/", views.decline, name="decline"),
    path("referrals/<str:code>/start/", views.start, name="start"),
    path("referrals/<str:code>/close/", views.close, name="close"),
    path("referrals/<str:code>/deliveries/", views.record_delivery, name="record_delivery"),
    path("referrals/<str:code>/follow-ups/", views.record_follow_up, name="record_follow_up"),
    path("unmet-needs/", views.unmet_needs, name="unmet_needs"),
    path("cooperation-parity/", views.cooperation_parity, name="cooperation_parity"),
    path("alerts/", views_alerts.alert_list, name="alerts"),
    path("relief/<str:code>/", views_alerts.relief, name="relief"),
    path(
        "relief/<str:code>/<str:request_code>/decide/",
        views_alerts.decide_relief,
        name="decide_relief",
    ),
    path("support/<str:code>/", views_support.support, name="support"),
]
