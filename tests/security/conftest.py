"""The small OpenID Connect provider of the single sign-on tests, for the token checks here too."""

from tests.accounts.test_sso import provider  # noqa: F401
