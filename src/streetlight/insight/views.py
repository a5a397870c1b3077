"""Public pages about what Streetlight does with reports."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_page

from . import selectors


@cache_page(300)  # counts for the public: a few minutes old is fine, and the page stays cheap
def transparency(request: HttpRequest) -> HttpResponse:
    return render(request, "insight/transparency.html", {"t": selectors.transparency()})
