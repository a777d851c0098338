"""Quiet hours for Slack alerts: an alert created between ``ALERT_QUIET_HOURS_START`` and
``ALERT_QUIET_HOURS_END`` (whole hours in ``ALERT_TIMEZONE``) is written to the outbox at once but
due only when the quiet hours end, so nothing is dropped and nobody is pinged at night."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from feedback_app.startup import ConfigError


@dataclass(frozen=True)
class QuietHours:
    start: int
    end: int
    zone: ZoneInfo

    def contains(self, moment: datetime) -> bool:
        hour = moment.astimezone(self.zone).hour
        if self.start < self.end:
            return self.start <= hour < self.end
        return hour >= self.start or hour < self.end  # wraps midnight, e.g. 22 to 7

    def release_at(self, moment: datetime) -> datetime | None:
        """When an alert created at ``moment`` may go out (UTC); None when it may go now."""
        if not self.contains(moment):
            return None
        local = moment.astimezone(self.zone)
        end = datetime.combine(local.date(), time(self.end), tzinfo=self.zone)
        if end <= local:
            end = datetime.combine(local.date() + timedelta(days=1), time(self.end), tzinfo=self.zone)
        return end.astimezone(UTC)


def _hour(config: Mapping[str, Any], name: str) -> int | None:
    value = str(config.get(name) or "").strip()
    if not value:
        return None
    if not value.isascii() or not value.isdigit() or not 0 <= int(value) <= 23:
        raise ConfigError(f"{name}: {value[:20]!r} is not a whole hour from 0 to 23 (e.g. 22).")
    return int(value)


def from_config(config: Mapping[str, Any]) -> QuietHours | None:
    """The configured quiet hours, None when off; a setting that cannot work raises, naming it."""
    start = _hour(config, "ALERT_QUIET_HOURS_START")
    end = _hour(config, "ALERT_QUIET_HOURS_END")
    name = str(config.get("ALERT_TIMEZONE") or "UTC").strip()
    try:
        zone = ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"ALERT_TIMEZONE: {name[:60]!r} is not a time zone name, e.g. UTC or Europe/Berlin."
        ) from None
    if start is None and end is None:
        return None
    if start is None or end is None:
        raise ConfigError(
            "ALERT_QUIET_HOURS_START and ALERT_QUIET_HOURS_END: set both (e.g. 22 and 7), or neither."
        )
    if start == end:
        raise ConfigError(
            f"ALERT_QUIET_HOURS_START and ALERT_QUIET_HOURS_END are both {start}; leave both empty for "
            "no quiet hours."
        )
    return QuietHours(start, end, zone)
