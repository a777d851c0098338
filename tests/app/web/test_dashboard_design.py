"""The dashboard's look as a user meets it: menu with the current page marked, favicon, error pages
inside the layout, the bad survey link branded with the company, amounts with their currency."""

from __future__ import annotations

import re
from datetime import date

import pytest


def _current(page: str) -> list[str]:
    """The sections the menu marks current (not a page's own tabs: the Overview tab shares its name)."""
    menu = re.search(r'<nav class="staff-nav.*?</nav>', page, re.S)
    return re.findall(r'<a href="[^"]*" aria-current="page">([^<]+)</a>', menu.group(0) if menu else "")


@pytest.mark.parametrize(
    "url,section",
    [
        ("/dashboard/overview", "Overview"),
        ("/dashboard/", "Overview"),
        ("/dashboard/themes", "Themes"),
        ("/dashboard/causes/price", "Themes"),
        ("/dashboard/actions", "Action plan"),
        ("/dashboard/follow-ups", "Follow-ups"),
        ("/dashboard/outbox", "Email"),
        ("/dashboard/invitations/funnel", "Email"),
        ("/dashboard/customers", "Customers"),
        ("/dashboard/summary", "Summary"),
    ],
)
def test_the_menu_marks_the_section_you_are_in(client, login, url, section):
    login("cx")
    page = client.get(url).get_data(as_text=True)
    assert section in _current(page)
    assert (
        len(
            [
                s
                for s in _current(page)
                if s
                in {
                    "Overview",
                    "Customers",
                    "Email",
                    "Themes",
                    "Summary",
                    "Action plan",
                    "Follow-ups",
                    "Win-back",
                    "Admin",
                }
            ]
        )
        == 1
    )


def test_each_role_sees_only_the_sections_it_may_open(client, login):
    login("product")
    page = client.get("/dashboard/themes").get_data(as_text=True)
    nav = page[page.index('<nav class="staff-nav"') : page.index("</nav>")]
    assert "Themes" in nav and "Action plan" in nav
    assert "Customers" not in nav and "Admin" not in nav and "Follow-ups" not in nav


def test_forbidden_page_keeps_the_menu_and_says_why(client, login):
    login("product")
    response = client.get("/dashboard/customers")
    page = response.get_data(as_text=True)
    assert response.status_code == 403
    assert 'class="staff-nav"' in page and "Sign out" in page
    assert "Your role (Product) cannot open this page" in page


def test_favicon_is_served_and_linked(client):
    page = client.get("/").get_data(as_text=True)
    assert 'rel="icon" href="/static/favicon.svg"' in page
    icon = client.get("/favicon.ico")
    assert icon.status_code == 301 and icon.headers["Location"].endswith("/static/favicon.svg")
    svg = client.get("/static/favicon.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"


def test_a_bad_survey_link_shows_the_company_not_the_tool(client, app):
    response = client.get("/s/not-a-real-token")
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert f'<span class="brand">{app.config["COMPANY_NAME"]}</span>' in page
    assert "Afterword" not in page


def test_staff_404_is_inside_the_layout(client, login):
    login("cx")
    response = client.get("/dashboard/themes/999999")
    page = response.get_data(as_text=True)
    assert response.status_code == 404 and 'class="staff-nav' in page and "Back to the overview" in page


def test_customer_amounts_show_the_currency_and_dates_stay_on_one_line(client, login, make):
    make.customer(
        name="Big Spender",
        monthly_revenue_cents=123450,
        lifetime_value_cents=1015210500,
        left_at=date(2026, 12, 2),
    )
    login("cx")
    page = client.get("/dashboard/customers").get_data(as_text=True)
    assert "$1,234" in page and "$10,152,105" in page
    assert "$1,234.50" not in page, "whole units, as every other page shows money"
    # the cell is named for a phone, where the table stacks ("Left" beside the date); on a tablet
    # the churn type folds under the date (its column hidden there)
    assert '<td data-label="Left" class="nowrap"><time datetime="2026-12-02">2026-12-02</time><span' in page


def test_one_stylesheet_one_font_stack(client):
    css = client.get("/static/css/app.css").get_data(as_text=True)
    assert "button, input, select, textarea, optgroup { font: inherit;" in css
    assert css.count("font-family: var(--font)") >= 1 and "DejaVu" not in css


def test_customer_amounts_are_whole_units_as_on_every_other_page(client, login, make):
    """The customers page showed "$79.00" where every other page shows "$79"."""
    make.customer(name="Small Plan", monthly_revenue_cents=7900, lifetime_value_cents=94800)
    login("cx")
    page = client.get("/dashboard/customers").get_data(as_text=True)
    assert ">$79<" in page and ">$948<" in page and "$79.00" not in page


def test_no_table_has_a_column_without_a_name():
    """A screen reader reads a column's header before each cell; an empty one reads as nothing (axe's
    empty-table-header on the win-back themes' Start a campaign links). A header only seen in its cells
    is named for screen readers (visually-hidden)."""
    from pathlib import Path

    templates = Path(__file__).resolve().parents[3] / "feedback_app" / "templates"
    empty = [
        f"{path.relative_to(templates)}: {match.group(0)}"
        for path in templates.rglob("*.html")
        for match in re.finditer(r"<th\b[^>]*>\s*</th>", path.read_text())
    ]
    assert not empty, "\n".join(empty)
