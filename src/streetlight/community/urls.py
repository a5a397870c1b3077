"""Public pages of the business community, mounted at /business/."""

from django.urls import path

from .views import public

app_name = "community"

urlpatterns = [
    path("", public.home, name="home"),
    path("<int:community_id>/register/", public.register, name="register"),
    path("registered/", public.registered, name="registered"),
    path("confirm/<str:token>/", public.confirm, name="confirm"),
    path("cyber/", public.cyber, name="cyber"),
    path("cyber/<slug:kind>/", public.cyber_kind, name="cyber_kind"),
    path("b/<str:token>/", public.business_page, name="business"),
    path("b/<str:token>/drills/<int:drill_id>/", public.drill_acknowledge, name="acknowledge"),
    path("b/<str:token>/leave/", public.leave, name="leave"),
]
