"""A Zendesk or Intercom export at the edges of what Python's JSON reader handles (nesting past the
recursion limit, an integer past its digit limit) is a file error naming the problem, on the page
and on the command line: never a 500 or a traceback. No model is loaded (parsing fails first)."""

from __future__ import annotations

import io
import sys

import pytest

from tests.helpers import csrf_token

DEEP = b'{"tickets": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
LONG_NUMBER = b'{"tickets": [{"id": ' + b"7" * (sys.get_int_max_str_digits() + 1) + b"}]}"
#: Newline-delimited JSON (Zendesk's full export): one bad line is that record's problem.
NDJSON_DEEP_LINE = b'{"id": 1, "subject": "ok"}\n' + b"[" * 100_000 + b"\n"


@pytest.mark.parametrize(
    ("body", "words"), [(DEEP, "nested too deeply"), (LONG_NUMBER, "more than")], ids=["deep", "long"]
)
def test_dashboard_upload_of_json_past_the_readers_limits_is_a_file_error(client, login, body, words):
    login("cx")
    page = client.get("/dashboard/conversations/import")
    response = client.post(
        "/dashboard/conversations/import",
        data={"csrf_token": csrf_token(page), "fmt": "zendesk", "file": (io.BytesIO(body), "tickets.json")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert words in response.get_data(as_text=True)


def test_cli_import_of_json_past_the_readers_limits_says_why(runner, tmp_path):
    path = tmp_path / "intercom.json"
    cases = (
        (DEEP, "nested too deeply"),
        (LONG_NUMBER, "more than"),
        (NDJSON_DEEP_LINE, "line 2, (json): cannot be read: it is nested too deeply"),
    )
    for body, words in cases:
        path.write_bytes(body)
        result = runner.invoke(args=["tickets", "import", str(path), "--format", "intercom"])
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        assert words in result.output, result.output
