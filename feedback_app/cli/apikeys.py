"""``flask apikeys``: keys for the departures API (shown once, stored hashed)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from feedback_app.cli.args import checked_group, examples
from feedback_app.models import API_SCOPES
from feedback_app.services.accounts import api_keys


@checked_group("apikeys", help="API keys for the JSON API (/api/v1): sending departures, reading data.")
def apikeys_cli() -> None:
    pass


@apikeys_cli.command(
    "create",
    epilog=examples(
        'apikeys create --label "billing system"',
        "apikeys create --label warehouse --scope read",
        "apikeys create --label analyst --scope read --scope responses:raw",
    ),
)
@click.option("--label", required=True, help="Who uses the key, e.g. 'billing system'.")
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    default=api_keys.DEFAULT_SCOPES,
    show_default=True,
    help=f"What the key may do; repeat for several: {', '.join(API_SCOPES)} "
    f"({', '.join(f'{scope} only with {needed}' for scope, needed in api_keys.NEEDS.items())}).",
)
@with_appcontext
def create_command(label: str, scopes: tuple[str, ...]) -> None:
    """Create a key and print it once; only its hash is kept."""
    try:
        key, raw = api_keys.create_key(label, actor="cli", scopes=scopes)
    except api_keys.ApiKeyError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"Created API key {key.id} ({key.label}, scopes: {key.scopes}). Copy it now; it is not shown again:"
    )
    click.echo(raw)
    click.echo("Send it as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'.", err=True)


@apikeys_cli.command(
    "list",
    epilog=examples("apikeys list"),
)
@with_appcontext
def list_command() -> None:
    """List keys: id, prefix, label, created, last used, and whether revoked."""
    keys = api_keys.list_keys()
    if not keys:
        click.echo("No API keys yet; create one with `flask apikeys create --label NAME`.")
        return
    click.echo(
        f"{'id':>4}  {'prefix':12}  {'status':8}  {'created':16}  {'last used':16}  {'scopes':36}  label"
    )
    for key in keys:
        status = "revoked" if key.revoked_at else "active"
        last = key.last_used_at.strftime("%Y-%m-%d %H:%M") if key.last_used_at else "never"
        click.echo(
            f"{key.id:>4}  {key.prefix:12}  {status:8}  {key.created_at:%Y-%m-%d %H:%M}  {last:16}  {key.scopes:36}  {key.label}"
        )


@apikeys_cli.command(
    "revoke",
    epilog=examples("apikeys revoke 3", "apikeys revoke awk_1a2b3c4d"),
)
@click.argument("key")
@with_appcontext
def revoke_command(key: str) -> None:
    """Revoke KEY (its id or prefix); requests using it are refused from now on."""
    try:
        revoked = api_keys.revoke_key(key, actor="cli")
    except api_keys.ApiKeyError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Revoked API key {revoked.id} ({revoked.prefix}, {revoked.label}).")
