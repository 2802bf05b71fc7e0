"""`flask users …`: make professional and admin accounts from the command line."""
import click
from flask.cli import AppGroup
from sqlalchemy import select

from accounts import services
from accounts.models import Role, Service
from accounts.passwords import MIN_LENGTH, is_common
from core.extensions import db

users_cli = AppGroup("users", help="Manage accounts.")


def _check_password(password: str) -> None:
    if len(password) < MIN_LENGTH or is_common(password):
        raise click.BadParameter(f"use at least {MIN_LENGTH} characters and not a common password", param_hint="password")


@users_cli.command("create-professional")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--service", "service_names", multiple=True, required=True, help="Service name; repeat for several.")
@click.password_option()
def create_professional(email: str, name: str, service_names: tuple[str, ...], password: str) -> None:
    """Create a professional's account in one or more existing services."""
    _check_password(password)
    if services.email_taken(email):
        raise click.ClickException(f"an account with {email} exists already")
    chosen = list(db.session.scalars(select(Service).where(Service.name.in_(service_names))))
    missing = set(service_names) - {s.name for s in chosen}
    if missing:
        raise click.ClickException("no such service: " + ", ".join(sorted(missing)))
    user = services.create_user(Role.PROFESSIONAL, name, password, email=email, services=chosen)
    click.echo(f"created professional {user.email} ({user.service_names})")


@users_cli.command("create-admin")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.password_option()
def create_admin(email: str, name: str, password: str) -> None:
    """Create an admin account."""
    _check_password(password)
    if services.email_taken(email):
        raise click.ClickException(f"an account with {email} exists already")
    user = services.create_user(Role.ADMIN, name, password, email=email)
    click.echo(f"created admin {user.email}")
