"""Staff accounts for tests: a member of an agency with a role, and a client signed in as them."""

from __future__ import annotations

from django.test import Client

from streetlight.accounts.models import User
from streetlight.routing.models import Agency, Membership

PASSWORD = "a-long-test-password"


def member(code: str, role: str, username: str | None = None) -> User:
    user = User.objects.create_user(username or f"{code}-{role}", password=PASSWORD)
    Membership.objects.create(user=user, agency=Agency.objects.get(code=code), role=role)
    return user


def signed_in(user: User) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client
