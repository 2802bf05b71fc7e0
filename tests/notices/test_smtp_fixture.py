"""The SMTP path itself: a message handed to send_message arrives at a real SMTP server as sent."""
from notices.models import Channel, OutboxMessage
from notices.sending import SendError, send_message
from core.extensions import db

import pytest
from sqlalchemy import func, select


def test_email_goes_through_smtp_with_the_stop_link(app, mailbox):
    with app.app_context():
        send_message(Channel.EMAIL, "ola@example.no", "Stemme", "Logg inn: http://x/", stop_url="http://x/stop/abc")
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    (message,) = mailbox.to("ola@example.no")
    assert message["Subject"] == "Stemme"
    assert message["List-Unsubscribe"] == "<http://x/stop/abc>"
    assert mailbox.text(message).strip() == "Logg inn: http://x/"


def test_without_smtp_host_the_message_is_kept_in_the_outbox(app):
    with app.app_context():
        send_message(Channel.EMAIL, "ola@example.no", "Stemme", "Logg inn")
        kept = db.session.scalars(select(OutboxMessage)).all()
        assert [(m.address, m.subject, m.body) for m in kept] == [("ola@example.no", "Stemme", "Logg inn")]


def test_an_unreachable_server_is_a_send_error(app):
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=9, SMTP_TLS=False)
    try:
        with app.app_context(), pytest.raises(SendError):
            send_message(Channel.EMAIL, "ola@example.no", "Stemme", "Logg inn")
    finally:
        app.config.update(SMTP_HOST="")
