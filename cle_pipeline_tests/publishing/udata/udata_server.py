"""Run a real udata (data.gouv.fr server) in one process, for integration tests.

Run it with the python of the *udata* virtual environment (see
requirements-udata.txt), never with the project's own environment:

    .venv-udata/bin/python udata_server.py --port 7000 --fs-root /tmp/fs \
        --state-file /tmp/udata-state.json [--schema-catalog-url URL]

What it does, in a single process (MongoDB is mongomock, i.e. in memory, so
the seeding and the serving must share the process):

1. builds the udata app (`create_app` + `standalone`, as `udata.wsgi` does)
   with settings that need neither MongoDB, Redis nor Elasticsearch;
2. seeds licences, geo zones, two users with API tokens and an organization;
3. writes the JSON state file atomically (tmp file + rename), so a reader that
   sees the file always sees it whole;
4. serves on 127.0.0.1 with werkzeug's threaded server until SIGTERM/SIGINT.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# Taken before the (slow) udata imports, so the "ready in" log line tells
# the whole startup cost.
_PROCESS_START = time.monotonic()

import mongomock  # noqa: E402
import slugify  # noqa: E402  (awesome-slugify, a udata dependency)

# `create_app` loads the python file named by UDATA_SETTINGS (default
# ./udata.cfg) *before* applying our override. Pointing it at the empty
# /dev/null keeps a stray udata.cfg in the caller's cwd (or an exported
# UDATA_SETTINGS) from leaking settings that our override does not mention.
os.environ["UDATA_SETTINGS"] = os.devnull

from udata.app import create_app, standalone  # noqa: E402

log = logging.getLogger("udata_server")

ORG_NAME = "Commune de Caudebec-lès-Elbeuf"

# (id, title, url): the ids are the ones data.gouv.fr uses, which is what the
# pipeline sends as `license`.
LICENSES: list[tuple[str, str, str]] = [
    (
        "lov2",
        "Licence Ouverte / Open Licence version 2.0",
        "https://www.etalab.gouv.fr/licence-ouverte-open-licence",
    ),
    (
        "odc-odbl",
        "Open Data Commons Open Database License (ODbL)",
        "http://opendatacommons.org/licenses/odbl/summary/",
    ),
    # udata stores "notspecified" when a dataset is sent an unknown licence id
    # (no 400); data.gouv.fr has this licence, so the fallback resolves here too.
    ("notspecified", "License Not Specified", ""),
]

# (geoid, INSEE code, name): geoid format is "<level>:<code>", see
# udata.core.spatial.geoids; `GeoZone.objects.resolve` relies on level+code.
COMMUNES: list[tuple[str, str, str]] = [
    ("fr:commune:76165", "76165", "Caudebec-lès-Elbeuf"),
    ("fr:commune:76231", "76231", "Elbeuf"),
    ("fr:commune:76640", "76640", "Saint-Pierre-lès-Elbeuf"),
]

# GeoLevels double as the allowed `spatial.granularity` values
# (udata.core.spatial.models.get_spatial_granularities), so "fr:commune" must
# exist for a dataset to declare that granularity.
GEO_LEVELS: list[tuple[str, str, int]] = [
    ("country", "Country", 10),
    ("fr:region", "French region", 40),
    ("fr:departement", "French county", 60),
    ("fr:epci", "French intermunicipal (EPCI)", 68),
    ("fr:commune", "French town", 70),
]


def build_settings(port: int, fs_root: Path, schema_catalog_url: str | None) -> type:
    """Return the override object handed to `create_app` (read via from_object)."""
    server_name = f"127.0.0.1:{port}"

    class Settings:
        # mongomock instead of a MongoDB server. MongoEngine >= 0.27 takes the
        # client class as `mongo_client_class`; the legacy "mongomock://" URI is
        # refused. MONGODB_HOST stays a valid mongodb:// URL because
        # udata.mongo.validate_config checks that key, not MONGODB_SETTINGS.
        MONGODB_HOST = "mongodb://localhost:27017/udata"
        MONGODB_SETTINGS = {  # noqa: RUF012  (read by Flask as a plain class attribute)
            "host": "mongodb://localhost:27017/udata",
            "mongo_client_class": mongomock.MongoClient,
        }
        # udata.auth.init_app refuses to start when either is empty.
        SECRET_KEY = uuid.uuid4().hex
        API_TOKEN_SECRET = uuid.uuid4().hex
        SECURITY_PASSWORD_SALT = uuid.uuid4().hex
        # No Redis: in-process cache, and Celery tasks (activities, metrics...)
        # run inline in the request thread. A failing background task must not
        # turn the API answer into a 500, as it would not in production where
        # tasks run in a worker, hence EAGER_PROPAGATES=False. The broker and
        # result URLs only matter because the defaults name redis://.
        CACHE_TYPE = "SimpleCache"
        CELERY_TASK_ALWAYS_EAGER = True
        CELERY_TASK_EAGER_PROPAGATES = False
        CELERY_BROKER_URL = "memory://localhost/"
        CELERY_RESULT_BACKEND = "cache+memory://"
        # No Elasticsearch: listing endpoints (GET /datasets/?organization=...)
        # then query MongoDB directly; nothing tries to index.
        ELASTICSEARCH_URL = None
        AUTO_INDEX = False
        SEND_MAIL = False
        # Uploaded resources go to local disk and are served by flask-storage
        # under http://127.0.0.1:PORT/resources/...
        FS_ROOT = str(fs_root)
        FS_SERVE = True
        # Remote resource URLs pointing at 127.0.0.1 (e.g. a test's fixture
        # server) must be accepted; production refuses loopback URLs.
        URLS_ALLOW_LOCAL = True
        # Do not DNS-resolve the host of submitted URLs (production does, to
        # refuse hostnames pointing at private IPs): tests must not emit DNS
        # queries, and an unresolvable host is only logged anyway.
        URLS_RESOLVE_HOSTNAME = False
        # Absolute URLs in responses (resource `url`, `uri`, `page`...) are
        # built from SERVER_NAME, so it must be where clients reach us. (Flask
        # 3.1 no longer rejects other Host headers, so "localhost:PORT" works
        # too, but returned URLs always say 127.0.0.1.)
        SERVER_NAME = server_name
        PREFERRED_URL_SCHEME = "http"
        CDATA_BASE_URL = f"http://{server_name}"
        # Production sets a Secure session cookie and is served over https, so
        # clients *do* get it back. Over plain http a Secure cookie would never
        # be returned, hiding the real behaviour (an API-key call opens a
        # session whose cookie then overrides X-API-KEY): keep it non-Secure.
        SESSION_COOKIE_SECURE = False
        SCHEMA_CATALOG_URL = schema_catalog_url
        DEFAULT_LANGUAGE = "fr"
        SITE_TITLE = "udata (tests)"

    return Settings


def seed(app: Any) -> dict[str, Any]:
    """Create reference data and accounts; return what goes into the state file."""
    # Imported late: models need the app's extensions registered first.
    from udata.core.api_token.models import ApiToken
    from udata.core.dataset.models import License
    from udata.core.organization.models import Member, Organization
    from udata.core.spatial.models import GeoLevel, GeoZone
    from udata.core.user.models import User

    with app.app_context():
        for lic_id, title, url in LICENSES:
            License(id=lic_id, title=title, url=url or None, active=True).save()

        for level_id, name, admin_level in GEO_LEVELS:
            GeoLevel(id=level_id, name=name, admin_level=admin_level).save()
        for geoid, code, name in COMMUNES:
            GeoZone(
                id=geoid,
                level="fr:commune",
                code=code,
                name=name,
                # Same slug rule as `udata spatial load` (load_zones).
                slug=slugify.slugify(name, separator="-"),
                ancestors=["fr:departement:76", "fr:region:28", "country:fr"],
            ).save()

        def make_user(first: str, last: str, email: str) -> User:
            # `active` is what API-key login checks (login_user refuses inactive
            # users); confirmed_at makes it a fully confirmed account, like the
            # ones a real pipeline's token belongs to.
            return User(
                first_name=first,
                last_name=last,
                email=email,
                active=True,
                fs_uniquifier=uuid.uuid4().hex,
                confirmed_at=datetime.now(UTC),
            ).save()

        publisher = make_user("Agent", "Publication", "publisher@example.org")
        outsider = make_user("Utilisateur", "Externe", "outsider@example.org")

        org = Organization(
            name=ORG_NAME,
            description="Organisation de test pour la publication des données de la commune.",
            members=[Member(user=publisher, role="admin")],
        ).save()

        _, api_key = ApiToken.generate(publisher, name="integration-tests")
        _, outsider_key = ApiToken.generate(outsider, name="integration-tests")

        return {
            "api_key": api_key,
            "outsider_api_key": outsider_key,
            "organization_id": str(org.id),
            "organization_slug": org.slug,
            "user_id": str(publisher.id),
            "outsider_user_id": str(outsider.id),
        }


def write_state_atomically(path: Path, state: dict[str, Any]) -> None:
    """Write JSON to a temp file in the same folder, then rename over `path`.

    rename() within one filesystem is atomic, so the fixture polling for the
    file never reads a half-written document.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(state, fh, indent=2)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _raise_keyboard_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--fs-root", type=Path, required=True, help="where uploads are stored")
    parser.add_argument("--state-file", type=Path, required=True)
    parser.add_argument("--schema-catalog-url", default=None)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # SIGTERM (what the fixture sends) becomes KeyboardInterrupt, which
    # werkzeug's serve_forever turns into a clean stop, as for Ctrl-C.
    # Installed first so a SIGTERM during seeding also ends the process.
    signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")

    args.fs_root.mkdir(parents=True, exist_ok=True)
    app = standalone(
        create_app(
            override=build_settings(args.port, args.fs_root.resolve(), args.schema_catalog_url)
        )
    )
    state = seed(app)
    state = {"api_url": f"http://127.0.0.1:{args.port}/api/1", **state}

    from werkzeug.serving import make_server

    # make_server + serve_forever is what run_simple does (minus reloader and
    # debugger), split so that the state file is written only once the socket
    # is bound: "state file exists" then implies "the port is ours".
    server = make_server("127.0.0.1", args.port, app, threaded=True)
    write_state_atomically(args.state_file, state)
    log.info("udata ready on %s in %.1fs", state["api_url"], time.monotonic() - _PROCESS_START)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
