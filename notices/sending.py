"""Sending one message: e-mail through SMTP, SMS through the configured gateway (notices/sms.py), or,
where neither is configured (`make run`), into the local outbox that the admin reads."""
import smtplib
from email.message import EmailMessage
from email.utils import make_msgid, parseaddr

from flask import current_app

from core.extensions import db
from notices.errors import SendError
from notices.models import Channel, OutboxMessage
from notices.sms import gateway_from_config

__all__ = ["SendError", "send_message"]


def send_message(channel: Channel, address: str, subject: str, body: str, stop_url: str | None = None) -> None:
    """Hand one message to its channel; raises SendError when that fails. `subject` is for e-mail only.
    `stop_url`, where given, is the one link that stops all notices (also as List-Unsubscribe)."""
    config = current_app.config
    if channel == Channel.EMAIL and config.get("SMTP_HOST"):
        _send_email(config, address, subject, body, stop_url)
    elif channel == Channel.SMS and config.get("SMS_GATEWAY"):
        gateway_from_config(config).send(address, body)
    else:
        db.session.add(OutboxMessage(channel=channel, address=address,
                                     subject=subject if channel == Channel.EMAIL else None, body=body))
        db.session.flush()


def _send_email(config, address: str, subject: str, body: str, stop_url: str | None) -> None:
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = address
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain=parseaddr(config["MAIL_FROM"])[1].rpartition("@")[2] or None)
    if stop_url:
        message["List-Unsubscribe"] = f"<{stop_url}>"
    message.set_content(body)
    try:
        with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=20) as smtp:
            if config["SMTP_TLS"]:
                smtp.starttls()
            if config.get("SMTP_USER"):
                smtp.login(config["SMTP_USER"], config.get("SMTP_PASSWORD") or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        raise SendError(type(error).__name__) from error
