"""Flask CLI groups, one per area (``flask --app wsgi GROUP --help``)."""

from __future__ import annotations

from flask import Flask


def register_cli(app: Flask) -> None:
    from feedback_app.cli.apikeys import apikeys_cli
    from feedback_app.cli.customers import customers_cli
    from feedback_app.cli.demo import demo_cli
    from feedback_app.cli.digest import digest_cli
    from feedback_app.cli.insights import analyze_cli, report_cli
    from feedback_app.cli.integrations import webhooks_cli
    from feedback_app.cli.invitations import invitations_cli
    from feedback_app.cli.outbox import outbox_cli
    from feedback_app.cli.privacy import privacy_cli  # also adds customers erase|export
    from feedback_app.cli.surveys import surveys_cli
    from feedback_app.cli.tickets import tickets_cli
    from feedback_app.cli.users import users_cli
    from feedback_app.cli.winback import winback_cli

    groups = [
        users_cli,
        privacy_cli,
        demo_cli,
        customers_cli,
        apikeys_cli,
        surveys_cli,
        invitations_cli,
        outbox_cli,
        analyze_cli,
        report_cli,
        winback_cli,
        tickets_cli,
        webhooks_cli,
        digest_cli,
    ]
    for group in groups:
        app.cli.add_command(group)
