"""schemathesis over /api/v1/openapi.json against the app on a real HTTP server: its examples,
coverage (boundary values) and fuzzing phases send valid and invalid requests to every operation
with a key that may read (raw answer text too), and every check runs: no 5xx, and each answer's status, content type,
headers and body as the document says. Examples are capped so the run stays under a minute.

schemathesis runs as its own CLI (``schemathesis run``), the way its documentation runs it; its
pytest loader for fixture-built schemas does not work with pytest 9.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from feedback_app.services.accounts.api_keys import create_key

#: Generated requests per operation and phase (about 600 requests in all, 10-30 s on a busy machine).
MAX_EXAMPLES = 20
#: A fixed seed keeps `make test` repeatable; SCHEMATHESIS_SEED=random explores anew.
SEED = os.environ.get("SCHEMATHESIS_SEED", "20")
CHARGEBEE = ("chargebee", "a-long-random-password")


@pytest.fixture
def live_api(app, world):
    """The app on 127.0.0.1 with every billing webhook configured (so they verify, not answer 503)
    and the API rate limit out of the way."""
    app.config.update(
        STRIPE_WEBHOOK_SECRET="whsec_schemathesis",
        PADDLE_WEBHOOK_SECRET="pdl_ntfset_schemathesis",
        CHARGEBEE_WEBHOOK_USERNAME=CHARGEBEE[0],
        CHARGEBEE_WEBHOOK_PASSWORD=CHARGEBEE[1],
        RATELIMIT_API="100000/minute",  # hundreds of requests a second from one address
    )
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}/api/v1"
    httpd.shutdown()
    thread.join(5)


@pytest.fixture
def reading_key(db) -> str:
    """A key for every documented read, ``text=raw`` included (its 403 without the scope is in
    test_read_api)."""
    _key, raw = create_key("schemathesis", actor="test", scopes=["read", "responses:raw"])
    return raw


def test_the_api_answers_as_its_openapi_document_says(live_api, reading_key, tmp_path: Path):
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "--config-file",
        str(Path(__file__).with_name("schemathesis.toml")),
        "--no-color",
        "run",
        f"{live_api}/openapi.json",
        "--checks",
        "all",
        "--phases",
        "examples,coverage,fuzzing",
        "--max-examples",
        str(MAX_EXAMPLES),
        "--workers",
        "1",
        "--request-timeout",
        "10",
        "--output-sanitize",
        "false",
        "--report-dir",
        str(tmp_path),
    ]
    if SEED != "random":
        command += ["--seed", SEED]
    environment = os.environ | {
        "SCHEMATHESIS_API_KEY": reading_key,
        "SCHEMATHESIS_CHARGEBEE_USERNAME": CHARGEBEE[0],
        "SCHEMATHESIS_CHARGEBEE_PASSWORD": CHARGEBEE[1],
    }
    finished = subprocess.run(
        command, capture_output=True, text=True, timeout=120, check=False, env=environment, cwd=tmp_path
    )
    output = finished.stdout + finished.stderr
    assert finished.returncode == 0, output
    with urllib.request.urlopen(f"{live_api}/openapi.json") as answer:
        paths = json.load(answer)["paths"]
    # Every operation but the document itself, which schemathesis loads rather than tests.
    operations = sum(len(item) for path, item in paths.items() if path != "/openapi.json")
    assert f"Tested: {operations}" in output, output
    assert re.search(r"(\d+) generated, \1 passed", output), output
