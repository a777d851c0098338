"""Reading the ``file`` transport's ``.eml`` files for the dashboard, safely.

File names are checked against a strict pattern and resolved inside ``MAIL_OUTBOX_DIR`` only.
HTML bodies are rebuilt from a short allow-list of tags (links keep only http, https or
mailto targets; everything else, including scripts, styles and event attributes, is dropped),
so an email can be read in the staff dashboard without running anything it carries.

Link tokens are masked (``/s/[token]``, ``/f/[token]``, ``/w/[token]``) in everything shown: only
a survey token's hash is stored with the invitation, and a staff member who could read the raw
link could answer, opt out or click a win-back offer in the customer's name. The file on disk keeps the working link (it is the email).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from html import escape
from html.parser import HTMLParser
from pathlib import Path

from feedback_app.logsafety import mask_link_tokens

EML_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,120}\.eml$")
LINK = re.compile(r"https?://[^\s<>\"']+")
SHOWN_HEADERS = (
    "From",
    "To",
    "Reply-To",
    "Subject",
    "Date",
    "Message-ID",
    "List-Unsubscribe",
    "List-Unsubscribe-Post",
)

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "a",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "ul",
    "ol",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tr",
    "td",
    "th",
    "span",
    "div",
    "small",
    "code",
    "pre",
}
VOID_TAGS = {"br", "hr"}
DROP_CONTENT = {"script", "style", "head", "title", "iframe", "object", "template", "noscript", "svg", "math"}
SAFE_HREF = re.compile(r"^(https?:|mailto:)", re.IGNORECASE)
MASKED = "[token]"  # what mask_link_tokens leaves of a link's token: such a link opens nothing


class _Sanitizer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[str] = []
        self.dropping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in DROP_CONTENT:
            self.dropping += 1
            return
        if self.dropping or tag not in ALLOWED_TAGS:
            return
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if SAFE_HREF.match(href.strip()) and MASKED not in href:
                self.out.append(
                    f'<a href="{escape(href.strip())}" rel="noopener noreferrer" target="_blank">'
                )
            else:
                self.out.append("<a>")
        else:
            self.out.append(f"<{tag}>")
        if tag not in VOID_TAGS:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID_TAGS and not self.dropping:
            self.out.append(f"<{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if tag in DROP_CONTENT:
            self.dropping = max(0, self.dropping - 1)
            return
        if self.dropping or tag not in self.open:
            return
        while self.open:
            closing = self.open.pop()
            self.out.append(f"</{closing}>")
            if closing == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self.dropping:
            self.out.append(escape(data))


def safe_html(html: str) -> str:
    """The HTML rebuilt from allowed tags only, every text and attribute escaped."""
    parser = _Sanitizer()
    parser.feed(html or "")
    parser.close()
    return "".join(parser.out) + "".join(f"</{tag}>" for tag in reversed(parser.open))


@dataclass(frozen=True)
class EmlSummary:
    name: str
    subject: str
    to: str
    written_at: datetime
    size: int


@dataclass(frozen=True)
class EmlView:
    name: str
    headers: list[tuple[str, str]]
    text: str
    html: str
    links: list[str]


def _path(directory: str | Path, name: str) -> Path:
    if not EML_NAME.match(name):
        raise FileNotFoundError(name)
    base = Path(directory).resolve()
    path = (base / name).resolve()
    if path.parent != base or not path.is_file():
        raise FileNotFoundError(name)
    return path


def _parse(path: Path) -> EmailMessage:
    return message_from_bytes(path.read_bytes(), policy=policy.default)


def list_files(directory: str | Path, *, limit: int = 200) -> list[EmlSummary]:
    """The newest ``.eml`` files first."""
    base = Path(directory)
    if not base.is_dir():
        return []
    paths = sorted(
        (p for p in base.iterdir() if p.is_file() and EML_NAME.match(p.name)),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )[:limit]
    summaries = []
    for path in paths:
        message = _parse(path)
        stat = path.stat()
        summaries.append(
            EmlSummary(
                path.name,
                str(message.get("Subject", "")),
                str(message.get("To", "")),
                datetime.fromtimestamp(stat.st_mtime, UTC),
                stat.st_size,
            )
        )
    return summaries


def read_file(directory: str | Path, name: str) -> EmlView:
    """One message's headers, text, sanitised HTML and the links in its text, link tokens masked
    (FileNotFoundError if none)."""
    message = _parse(_path(directory, name))
    text_part = message.get_body(("plain",))
    html_part = message.get_body(("html",))
    text = mask_link_tokens(text_part.get_content()) if text_part is not None else ""
    html = mask_link_tokens(html_part.get_content()) if html_part is not None else ""
    links = list(dict.fromkeys(LINK.findall(text)))
    headers = [
        (key, mask_link_tokens(str(message[key]))) for key in SHOWN_HEADERS if message[key] is not None
    ]
    return EmlView(name=name, headers=headers, text=text, html=safe_html(html), links=links)
