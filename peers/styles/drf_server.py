"""Django REST framework's three paginators over one data set, on 127.0.0.1 and a port the OS picks.

    python drf_server.py [items]

A whole Django project in one file: settings, one model (`Item`: `id`, `title` = "item-0001" …),
its serializer, the views and the URLs. `items` items (default 1000) are created at start-up in
an in-memory SQLite database shared by waitress's threads (SQLite's shared cache; Django never
closes an in-memory database's connection, so it lives as long as the process). Served by
waitress (a real WSGI server); prints `listening on 127.0.0.1:PORT` once the socket listens.

Routes (every one lists the same items, ordered by `id`):

    /pn/items/       PageNumberPagination   page_size 25, ?page=N, ?page_size=M
    /lo/items/       LimitOffsetPagination  default_limit 25, ?limit=M&offset=K
    /cursor/items/   CursorPagination       ordering id, page_size 25, ?cursor=…, ?page_size=M
    /all/items/      no pagination: a bare array of every item (what the server holds)

Every route is also served under `/tls/` (`/tls/pn/items/` …): there the request is taken as
having come through a TLS-terminating proxy, so DRF writes `https://127.0.0.1:PORT/tls/…` links
to a client that talks plain `http://` (the scheme-only mismatch of a proxy, reversed). Under
`/foreign/` the request is taken as having been sent to the host `foreign.invalid`, so the links
point at `http://foreign.invalid/foreign/…`: another origin. Django's own proxy settings are on
as well: `X-Forwarded-Proto: https` and `X-Forwarded-Host: …` on any request do the same.

With PAGINATE_STYLES_EXIT_ON_EOF=1 (the tests set it) the server exits when its stdin closes.
"""

import os
import sys
import threading

import django
from django.conf import settings

DEFAULT_ITEMS = 1000
PAGE_SIZE = 25

settings.configure(
    DEBUG=False,
    SECRET_KEY="paginate-styles-not-a-secret",
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=[
        "django.contrib.contenttypes",
        "django.contrib.auth",
        "rest_framework",
    ],
    MIDDLEWARE=[],
    DATABASES={
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            # Django's sqlite backend opens NAME as a URI: one in-memory database that every
            # thread's connection shares.
            "NAME": "file:paginate-styles?mode=memory&cache=shared",
        }
    },
    USE_TZ=True,
    USE_X_FORWARDED_HOST=True,
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
    DEFAULT_AUTO_FIELD="django.db.models.AutoField",
    REST_FRAMEWORK={
        "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
        "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
        "DEFAULT_AUTHENTICATION_CLASSES": [],
        "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
        "UNAUTHENTICATED_USER": None,
    },
)
django.setup()

from django.db import connection, models  # noqa: E402
from django.urls import include, path  # noqa: E402
from rest_framework import generics, pagination, serializers  # noqa: E402


class Item(models.Model):
    title = models.CharField(max_length=100)

    class Meta:
        app_label = "styles"
        ordering = ["id"]


class ItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = Item
        fields = ["id", "title"]


class PageNumber(pagination.PageNumberPagination):
    page_size = PAGE_SIZE
    page_size_query_param = "page_size"


class LimitOffset(pagination.LimitOffsetPagination):
    default_limit = PAGE_SIZE


class Cursor(pagination.CursorPagination):
    ordering = "id"
    page_size = PAGE_SIZE
    page_size_query_param = "page_size"


def listing(paginator):
    return generics.ListAPIView.as_view(
        queryset=Item.objects.order_by("id"),
        serializer_class=ItemSerializer,
        pagination_class=paginator,
    )


routes = [
    path("pn/items/", listing(PageNumber)),
    path("lo/items/", listing(LimitOffset)),
    path("cursor/items/", listing(Cursor)),
    path("all/items/", listing(None)),
]
urlpatterns = routes + [
    path("tls/", include(routes)),
    path("foreign/", include(routes)),
]


def application():
    from django.core.wsgi import get_wsgi_application

    django_app = get_wsgi_application()

    def app(environ, start_response):
        path_info = environ.get("PATH_INFO", "")
        if path_info.startswith("/tls/"):
            environ["HTTP_X_FORWARDED_PROTO"] = "https"
        elif path_info.startswith("/foreign/"):
            environ["HTTP_X_FORWARDED_HOST"] = "foreign.invalid"
        return django_app(environ, start_response)

    return app


def seed(count):
    with connection.schema_editor() as editor:
        editor.create_model(Item)
    Item.objects.bulk_create(
        [Item(id=n, title=f"item-{n:04d}") for n in range(1, count + 1)], batch_size=500
    )


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_ITEMS
    if count < 0:
        sys.exit(f"not a number of items: {count}")
    seed(count)
    from waitress import create_server

    if os.environ.get("PAGINATE_STYLES_EXIT_ON_EOF") == "1":
        # Started by the tests: stop when they do, even when they are killed (their end of
        # stdin closes).
        def exit_on_eof():
            sys.stdin.buffer.read()
            os._exit(0)

        threading.Thread(target=exit_on_eof, daemon=True).start()
    server = create_server(application(), host="127.0.0.1", port=0, threads=4)
    print(f"listening on 127.0.0.1:{server.effective_port}", flush=True)
    server.run()


if __name__ == "__main__":
    main()
