"""What a staff page shows a reader, and the internal keys found in it: the crawl test's tools.

A page's words are its visible text, one entry per text node, the text of its drop-down options
and the labels a screen reader speaks (title, aria-label, placeholder, alt), never script, style or
``code``/``pre``/``kbd`` (what a person types, such as a CSV header, is code on purpose). An internal
key is a snake_case word, a stored lower-case value that is a whole text node (a status or a team in
a cell), a company's own value among the values a node lists ("team / smb", "Plan: team"), a Python
or pandas empty value ("None", "nan") or an unrendered template tag.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

SKIPPED = ("script", "style", "code", "pre", "kbd", "samp", "template", "textarea")
SPOKEN = ("title", "aria-label", "placeholder", "alt")
SNAKE = re.compile(r"(?<![\w@./#-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w@/-])")
#: "None" or "nan" standing for a value: not a word of a sentence ("None of it was catastrophic").
EMPTY = re.compile(r"(?<![\w'’-])(None|nan|NaN|null|undefined)(?![\w'’-])(?!\s+[a-z])")
TAGS = re.compile(r"\{\{|\}\}|\{%|%\}")
#: Where a text is split into the values it lists ("Plan: team", "team / smb"); not at commas,
#: which customers' words and the themes' keyword lists use ("outages, price, support").
PIECES = re.compile(r"\s*[/:·|\n]\s*")


class PageWords(HTMLParser):
    """Collects a page's words, one entry per text node, and the dashboard links it offers."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.words: list[str] = []
        self.links: list[str] = []
        self.menu: list[str] = []
        self._skip = 0
        self._in_menu = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in SKIPPED:
            self._skip += 1
        if tag == "nav" and "staff-nav" in (values.get("class") or ""):
            self._in_menu += 1
        elif tag == "nav" and self._in_menu:
            self._in_menu += 1
        self.words += [values[a] or "" for a in SPOKEN if a in values]
        if tag == "a" and values.get("href"):
            (self.menu if self._in_menu else self.links).append(values["href"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED:
            self._skip -= 1
        if tag == "nav" and self._in_menu:
            self._in_menu -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.words.append(data.strip())


def read(html: str) -> PageWords:
    page = PageWords()
    page.feed(html)
    return page


def internal_keys(words: Iterable[str], *, keys: set[str], values: set[str], allowed: set[str]) -> set[str]:
    """The internal keys among a page's words. ``keys`` are stored lower-case values a whole text
    node must not be (a status, a team); ``values`` the company's own lower-case values (plans,
    segments, sources) no listed value may be; ``allowed`` the data that may look like either (a
    customer's external id, a theme's keyword, a customer's one-word answer)."""
    found: set[str] = set()
    for text in words:
        found |= {m for m in SNAKE.findall(text) if m not in allowed}
        found |= {m.group(0) for m in EMPTY.finditer(text)}
        found |= set(TAGS.findall(text))
        whole = text.strip().rstrip(".")
        if whole in keys | values:
            found.add(whole)
        found |= {p for p in (piece.strip().rstrip(".") for piece in PIECES.split(text)) if p in values}
        found -= allowed
    return found


def kind_of(path: str) -> str:
    """Pages of one kind share a path but for an id or a key: one of each is enough."""
    return re.sub(r"/causes/[^/]+", "/causes/K", re.sub(r"/\d+", "/N", path))


def dashboard_links(page_path: str, hrefs: Iterable[str]) -> list[str]:
    """The staff pages a page links to (no downloads, no written-email files, no query strings)."""
    paths = []
    for href in hrefs:
        url = urlparse(urljoin(page_path, href))
        if url.netloc or not url.path.startswith("/dashboard"):
            continue
        if re.search(r"export|/files/|\.(csv|md|json|html|eml)$", url.path):
            continue
        paths.append(url.path)
    return paths


def crawl(client, start: str = "/dashboard/") -> dict[str, PageWords]:
    """Every staff page reachable from the menu of ``start``, following links to one page of each
    kind (a theme, a root cause, an action item, a campaign...), read as a signed-in user reads it."""
    first = read(client.get(start).get_data(as_text=True))
    queue = [start, *dashboard_links(start, first.menu)]
    seen = {kind_of(p) for p in queue}
    pages: dict[str, PageWords] = {}
    while queue:
        path = queue.pop(0)
        response = client.get(path)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        page = pages[path] = read(response.get_data(as_text=True))
        for link in dashboard_links(path, page.links):
            if kind_of(link) not in seen:
                seen.add(kind_of(link))
                queue.append(link)
    return pages
