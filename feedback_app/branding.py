"""The company's brand on the app's pages: its name, logo and colour from config.

One context processor (``brand``) so the dashboard and the survey read the same settings; the
text colour on the brand colour is chosen here so buttons stay readable whatever colour is set.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app


@dataclass(frozen=True)
class Brand:
    name: str
    logo_url: str | None
    colour: str  # "#rrggbb", checked when the config is read
    ink: str  # the text colour on ``colour``: black or white, whichever contrasts more


def _luminance(colour: str) -> float:
    """WCAG relative luminance of a ``#rrggbb`` colour."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ink_on(colour: str) -> str:
    """White or near-black text, whichever has the higher contrast ratio on ``colour``."""
    lum = _luminance(colour)
    on_white = 1.05 / (lum + 0.05)
    on_black = (lum + 0.05) / 0.05
    return "#ffffff" if on_white >= on_black else "#111111"


def current_brand() -> Brand:
    config = current_app.config
    colour = config["BRAND_COLOUR"]
    return Brand(config["COMPANY_NAME"], config.get("BRAND_LOGO_URL"), colour, ink_on(colour))


def init_branding(app: Flask) -> None:
    app.context_processor(lambda: {"brand": current_brand()})
