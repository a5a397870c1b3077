"""The reporter's consent, by follow-up token: mounted at f/<token>/complaint/."""

from django.urls import path

from . import views

app_name = "complaint_consent"

urlpatterns = [
    path("f/<str:token>/complaint/consent/", views.consent_give, name="give"),
    path("f/<str:token>/complaint/withdraw/", views.consent_withdraw, name="withdraw"),
]
