"""``flask webhooks``: subscribe an address to events, list them, deliver what is due now."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from feedback_app.cli.args import checked_group
from feedback_app.models import WEBHOOK_EVENTS
from feedback_app.services.integrations import webhook_delivery, webhooks


@checked_group("webhooks", help="Outgoing webhooks (signed as Standard Webhooks): subscribe, list, deliver.")
def webhooks_cli() -> None:
    pass


@webhooks_cli.command("add")
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


@webhooks_cli.command("list")
@with_appcontext
def list_command() -> None:
    """Each endpoint: id, on/off (with the reason it was turned off), events and URL."""
    found = webhooks.endpoints()
    if not found:
        click.echo("No webhooks yet; add one with `flask webhooks add URL --event response.submitted`.")
    for endpoint in found:
        state = "on" if endpoint.active else f"off ({endpoint.disabled_reason or 'turned off'})"
        click.echo(f"{endpoint.id:>4}  {state}  {' '.join(endpoint.event_list)}  {endpoint.url}")


@webhooks_cli.command("deliver")
@with_appcontext
def deliver_command() -> None:
    """Send every delivery that is due now."""
    run = webhook_delivery.deliver()
    click.echo(f"Delivered {run.delivered}, retrying later {run.retrying}, gave up {run.failed}.")
    for url in run.disabled:
        click.echo(f"Turned off {url} after repeated failures; see `flask webhooks list`.", err=True)
