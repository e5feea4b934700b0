"""Run the test identity provider: migrate its own SQLite database, load the users and
clients of the JSON config, then serve HTTP on 127.0.0.1:<port> until killed.

    LANGSO_TEST_IDP_CONFIG=/tmp/idp.json python -m langso.core.tests.idp.serve
"""

import os
import socketserver
import sys
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


class ThreadingServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


def load_directory(config) -> None:
    from django.contrib.auth.models import User
    from oauth2_provider.models import Application

    for entry in config["users"]:
        user = User(
            username=entry["username"],
            first_name=entry.get("first_name", ""),
            last_name=entry.get("last_name", ""),
            email=entry.get("email", ""),
        )
        user.set_password(entry["password"])
        user.save()
    for entry in config["clients"]:
        Application.objects.create(
            name=entry["client_id"],
            client_id=entry["client_id"],
            client_secret=entry["client_secret"],
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
            redirect_uris=" ".join(entry["redirect_uris"]),
            post_logout_redirect_uris=" ".join(entry.get("post_logout_redirect_uris", [])),
            algorithm=Application.RS256_ALGORITHM,
            skip_authorization=False,
        )


def main() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "langso.core.tests.idp.settings"
    import django
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application

    django.setup()
    from django.conf import settings

    call_command("migrate", verbosity=0, interactive=False)
    load_directory(settings.CONFIG)
    server = make_server(
        "127.0.0.1",
        settings.CONFIG["port"],
        get_wsgi_application(),
        server_class=ThreadingServer,
        handler_class=QuietHandler,
    )
    print("ready", flush=True)
    sys.stdout.close()
    server.serve_forever()


if __name__ == "__main__":
    main()
