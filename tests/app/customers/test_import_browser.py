"""The import page in a real browser: what a person sees after choosing a file too big to upload."""

from __future__ import annotations

import pytest

from tests.app.browser_support import LiveServer, sign_in


@pytest.fixture
def server(app):
    live = LiveServer(app)
    yield live
    live.stop()


@pytest.mark.browser
def test_choosing_a_file_over_the_upload_limit_shows_the_import_page_with_the_limit(
    open_page, server, make, tmp_path
):
    server.app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    user, password = make.staff_user(role="cx")
    big = tmp_path / "everyone.csv"
    row = "c-{n},person{n}@example.com,2026-10-01\n"
    big.write_text("external_id,email,left_at\n" + "".join(row.format(n=n) for n in range(60_000)))
    assert big.stat().st_size > 2 * 1024 * 1024
    page = open_page()
    sign_in(page, server, user.email, password)
    page.goto(f"{server.url}/dashboard/customers/import")
    page.get_by_label("CSV file").set_input_files(str(big))
    page.get_by_role("button", name="Next: match the columns").click()
    alert = page.get_by_role("alert")
    assert "The file is larger than 1 MB" in alert.inner_text()
    assert page.get_by_label("CSV file").is_visible()
