"""``flask webhooks``: subscribe an address to events, list them, deliver what is due now, turn one
on or off, resend failed deliveries."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask.cli import with_appcontext

from feedback_app.cli.args import checked_group, examples
from feedback_app.cli.ids import ROW_ID
from feedback_app.extensions import db
from feedback_app.models import WEBHOOK_EVENTS, WebhookDelivery, WebhookEndpoint
from feedback_app.services.integrations import webhook_delivery, webhooks


@checked_group(
    "webhooks", help="Outgoing webhooks (signed as Standard Webhooks): subscribe, list, deliver, resend."
)
def webhooks_cli() -> None:
    pass


@webhooks_cli.command(
    "add",
    epilog=examples(
        "webhooks add https://example.com/hooks/afterword --event response.submitted --event action.shipped"
    ),
)
@click.argument("url")
@click.option(
    "--event",
    "events",
    multiple=True,
    required=True,
    help=f"An event to send; repeat for several: {', '.join(WEBHOOK_EVENTS)}.",
)
@click.option("--description", default="", help="Who receives it.")
@with_appcontext
def add_command(url: str, events: tuple[str, ...], description: str) -> None:
    """Subscribe URL to events and print its signing secret."""
    try:
        endpoint = webhooks.subscribe(url, events, description=description, actor="cli")
    except webhooks.WebhookError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Subscribed webhook {endpoint.id} to {', '.join(endpoint.event_list)}. Signing secret:")
    click.echo(endpoint.secret)


@webhooks_cli.command(
    "list",
    epilog=examples("webhooks list", "webhooks list --failed"),
)
@click.option(
    "--failed",
    "show_failed",
    is_flag=True,
    help="Then the 25 newest failed deliveries: id (for `flask webhooks resend`), time (UTC), "
    "webhook id, event and error.",
)
@with_appcontext
def list_command(show_failed: bool) -> None:
    """Each endpoint: id, on/off (with the reason it was turned off), events and URL; with --failed,
    the newest failed deliveries and their ids."""
    found = webhooks.endpoints()
    if not found:
        click.echo("No webhooks yet; add one with `flask webhooks add URL --event response.submitted`.")
    for endpoint in found:
        state = "on" if endpoint.active else f"off ({endpoint.disabled_reason or 'turned off'})"
        click.echo(f"{endpoint.id:>4}  {state}  {' '.join(endpoint.event_list)}  {endpoint.url}")
    if show_failed:
        failed = webhook_delivery.failed()
        click.echo(f"Failed deliveries: {failed.total} (resend one with `flask webhooks resend ID`).")
        for delivery in failed.items:
            click.echo(
                f"{delivery.id:>6}  {delivery.created_at:%Y-%m-%d %H:%M}  webhook {delivery.endpoint_id}  "
                f"{delivery.event_type}  {delivery.last_error or ''}"
            )
        if failed.total and failed.total > len(failed.items):
            click.echo("Older ones: `flask webhooks resend --endpoint ID --since DATE` resends them all.")


@webhooks_cli.command(
    "deliver",
    epilog=examples("webhooks deliver"),
)
@with_appcontext
def deliver_command() -> None:
    """Send every delivery that is due now."""
    run = webhook_delivery.deliver()
    click.echo(f"Delivered {run.delivered}, retrying later {run.retrying}, gave up {run.failed}.")
    for url in run.disabled:
        click.echo(f"Turned off {url} after repeated failures; see `flask webhooks list`.", err=True)


def _endpoint(endpoint_id: int) -> WebhookEndpoint:
    endpoint = db.session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None:
        raise click.ClickException(f"No webhook {endpoint_id}; see `flask webhooks list`.")
    return endpoint


def _switch(name: str, active: bool, help_text: str) -> None:
    """``flask webhooks enable|disable ID``: what Turn on / Turn off does on the page."""

    @webhooks_cli.command(name, help=help_text, epilog=examples(f"webhooks {name} 3"))
    @click.argument("endpoint_id", type=ROW_ID)
    @with_appcontext
    def command(endpoint_id: int) -> None:
        endpoint = _endpoint(endpoint_id)
        webhooks.set_active(endpoint, active, actor="cli")
        click.echo(f"Turned {'on' if active else 'off'} {endpoint.url}.")
        failed = webhook_delivery.failed_deliveries(endpoint)
        if active and failed.total and failed.first is not None:
            day = f"{failed.first:%Y-%m-%d}"
            click.echo(
                f"{failed.total} of its deliveries failed since {day} and "
                f"{'is not sent again by itself' if failed.total == 1 else 'are not sent again by themselves'}: "
                f"flask webhooks resend --endpoint {endpoint.id} --since {day}"
            )


_switch(
    "enable",
    True,
    "Turn a webhook back on (e.g. one turned off after repeated failures); what waited goes now. "
    "ENDPOINT_ID: its id in `flask webhooks list`.",
)
_switch(
    "disable",
    False,
    "Turn a webhook off: it gets no events until it is turned on again. ENDPOINT_ID: its id in "
    "`flask webhooks list`.",
)


@webhooks_cli.command(
    "resend",
    epilog=examples("webhooks resend 42", "webhooks resend --endpoint 3 --since 2026-12-01"),
)
@click.argument("delivery_id", type=ROW_ID, required=False)
@click.option(
    "--endpoint",
    "endpoint_id",
    type=ROW_ID,
    help="Every failed delivery of this webhook (its id in `flask webhooks list`; with --since).",
)
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M"]),
    help="With --endpoint: the failed deliveries of events from this day (UTC) on, e.g. 2026-12-01.",
)
@with_appcontext
def resend_command(delivery_id: int | None, endpoint_id: int | None, since: datetime | None) -> None:
    """Send a failed delivery again (DELIVERY_ID), or every failed one of a webhook since a date
    (--endpoint ID --since DATE), each with its webhook-id unchanged. DELIVERY_ID: its id in
    `flask webhooks list --failed`."""
    if (delivery_id is None) == (endpoint_id is None) or (endpoint_id is None) != (since is None):
        raise click.UsageError("Give a DELIVERY_ID, or --endpoint ID with --since DATE (e.g. 2026-12-01).")
    if endpoint_id is not None and since is not None:
        endpoint = _endpoint(endpoint_id)
        try:
            count = webhook_delivery.resend_failed_since(endpoint, since.replace(tzinfo=UTC), actor="cli")
        except webhooks.WebhookError as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"Resending {count} failed deliver{'y' if count == 1 else 'ies'} to {endpoint.url}.")
    else:
        delivery = db.session.get(WebhookDelivery, delivery_id)
        if delivery is None:
            raise click.ClickException(f"No webhook delivery {delivery_id}.")
        if not webhook_delivery.resend(delivery, actor="cli"):
            raise click.ClickException(
                f"Delivery {delivery_id} is {delivery.status}, not failed: nothing was sent again."
            )
        click.echo(f"Resending delivery {delivery_id} to {delivery.endpoint.url}.")
        endpoint = delivery.endpoint
    if not endpoint.active:
        click.echo(
            f"Webhook {endpoint.id} is off: they wait until `flask webhooks enable {endpoint.id}`.", err=True
        )
