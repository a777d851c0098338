"""The customer import page's two steps as a browser goes through them: choose the file, then
confirm (or change) the proposed column mapping."""

from __future__ import annotations

import io
import re

from tests.helpers import csrf_token


def choose_file(client, data: bytes, filename="customers.csv"):
    """Step 1 of the import page: the file goes up; the answer is the column mapping step."""
    page = client.get("/dashboard/customers/import")
    form = {"csrf_token": csrf_token(page), "source": "csv", "file": (io.BytesIO(data), filename)}
    return client.post("/dashboard/customers/import", data=form, content_type="multipart/form-data")


def proposed_columns(html: str) -> dict[str, str]:
    """The mapping step's selects as the page pre-fills them: {"columns-0": "external_id", ...}."""
    return {
        name: re.search(r'<option selected value="([^"]*)"', options).group(1)
        for name, options in re.findall(r'<select[^>]*name="(columns-\d+)"[^>]*>(.*?)</select>', html, re.S)
    }


def confirm_columns(client, page, columns: dict[str, str] | None = None, **fields):
    """Step 2: post the mapping step's form as shown (``columns`` changes some selects)."""
    html = page.get_data(as_text=True)
    token = re.search(r'name="upload"[^>]*value="([^"]+)"', html).group(1)
    form = {"csrf_token": csrf_token(page), "upload": token, "source": "csv"}
    form |= proposed_columns(html) | (columns or {}) | fields
    return client.post("/dashboard/customers/import/columns", data=form)


def upload(client, data: bytes, filename="customers.csv", columns=None, **fields):
    """Both steps, with the proposed mapping (and ``columns`` changed); a refused file stops at step 1."""
    chosen = choose_file(client, data, filename)
    if chosen.status_code != 200:
        return chosen
    return confirm_columns(client, chosen, columns, **fields)
