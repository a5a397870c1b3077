from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.sign_in, name="login"),
    path("login/code/", views.sign_in_code, name="code"),
    path("login/setup/", views.sign_in_setup, name="setup"),
    path("login/backup-codes/", views.backup_codes, name="backup_codes"),
    path("confirm/", views.confirm, name="confirm"),
    path("password/", views.PasswordChange.as_view(), name="password_change"),
    path("password/changed/", views.PasswordChanged.as_view(), name="password_changed"),
    path("logout/", views.SignOut.as_view(), name="logout"),
]
