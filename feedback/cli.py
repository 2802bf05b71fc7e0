"""`flask feedback …`: the feedback commands for the operator (in English, like the other commands)."""
import click
from flask.cli import AppGroup

from feedback import services

feedback_cli = AppGroup("feedback", help="Feedback requests and questionnaires.")


@feedback_cli.command("send-due")
def send_due() -> None:
    """Make the feedback requests that are due for every young person and parent (for a daily timer)."""
    made = services.send_due_for_everyone()
    click.echo(f"made {made} feedback request{'' if made == 1 else 's'}")
