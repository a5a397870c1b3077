"""The intake benchmark's floor: the same server, settings and middleware as the platform, plus one
endpoint that does nothing but one INSERT. Our intake is measured as a share of it."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from streetlight.urls import urlpatterns as platform_urls


@csrf_exempt
@require_POST
def floor(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_floor (payload) VALUES (%s)", [request.body.decode()])
    return JsonResponse({"stored": True}, status=201)


urlpatterns = [path("bench/floor", floor), *platform_urls]
