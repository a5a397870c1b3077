"""The ASGI application: the control room's live stream beside Django, everything else to Django."""

import gc
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "streetlight.settings")
django.setup(set_prefix=False)

from streetlight.core.asgi_handler import OneThreadASGIHandler  # noqa: E402  (needs the apps loaded)

django_application = OneThreadASGIHandler()


from django.conf import settings  # noqa: E402
from django.urls import get_resolver  # noqa: E402

from streetlight.core.body_limit import body_limit  # noqa: E402
from streetlight.live import stream  # noqa: E402  (needs the apps loaded by the lines above)

# Load every view (and the libraries behind them) now, then take all of it out of the garbage
# collector's full passes: with numpy, scikit-learn and matplotlib loaded, a full pass over them
# stopped the event loop — and every open live stream — for a tenth of a second at a time.
get_resolver().url_patterns  # noqa: B018
gc.freeze()


async def route(scope: stream.Scope, receive: stream.Receive, send: stream.Send) -> None:
    if scope["type"] == "http" and scope["path"] == stream.PATH:
        await stream.app(scope, receive, send)
    else:
        await django_application(scope, receive, send)


application = body_limit(route, max_bytes=lambda: int(settings.STREETLIGHT["MAX_REQUEST_BYTES"]))
