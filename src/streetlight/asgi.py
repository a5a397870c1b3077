"""The ASGI application: the control room's live stream beside Django, everything else to Django."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "streetlight.settings")
django_application = get_asgi_application()

from streetlight.live import stream  # noqa: E402  (needs the apps loaded by the line above)


async def application(scope: stream.Scope, receive: stream.Receive, send: stream.Send) -> None:
    if scope["type"] == "http" and scope["path"] == stream.PATH:
        await stream.app(scope, receive, send)
    else:
        await django_application(scope, receive, send)
