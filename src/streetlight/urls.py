from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from streetlight.accounts import oidc
from streetlight.api import api
from streetlight.core import views as core_views

urlpatterns = [
    path("api/v1/", api.urls),
    path("open311/v2/", include("streetlight.integrations.open311.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # One way in for staff: the admin's own sign-in form would skip the second factor.
    path("admin/login/", core_views.admin_sign_in),
    path("admin/", admin.site.urls),
    path("accounts/", include("streetlight.accounts.urls")),
    path("oidc/authenticate/", oidc.ProviderRedirect.as_view(), name="oidc_authentication_init"),
    path("oidc/callback/", oidc.ProviderCallback.as_view(), name="oidc_authentication_callback"),
    path("control/alerts/", include("streetlight.alerts.control_urls")),
    path("control/community/", include("streetlight.community.control_urls")),
    path("control/signals/", include("streetlight.feeds.control_urls")),
    path("control/chat/", include("streetlight.chat.control_urls")),
    path("control/reports/<int:report_id>/complaint/", include("streetlight.complaints.control_urls")),
    path("control/stories/", include("streetlight.stories.control_urls")),
    path("control/", include("streetlight.control.urls")),
    path("control/triage/", include("streetlight.triage.urls")),
    path("alerts/subscriptions/", include("streetlight.subscriptions.urls")),
    path("alerts/", include("streetlight.alerts.urls")),
    path("business/", include("streetlight.community.urls")),
    path("safety-walks/", include("streetlight.nightwalks.urls")),
    path("walk/", include("streetlight.companion.urls")),
    path("feeds/", include("streetlight.feeds.urls")),
    path("chat/", include("streetlight.chat.urls")),
    path("healthz", core_views.healthz, name="healthz"),
    path("", include("streetlight.insight.urls")),
    path("", include("streetlight.complaints.urls")),
    path("", include("streetlight.stories.urls")),
    path("", include("streetlight.reports.urls")),
]
if settings.DEBUG:
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]

handler404 = "streetlight.core.views.page_not_found"
handler500 = "streetlight.core.views.server_error"
handler400 = "streetlight.core.views.bad_request"
handler403 = "streetlight.core.views.permission_denied"
