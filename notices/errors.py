"""The error every channel raises when a message is not handed over (SMTP in notices.sending, the SMS
gateway in notices.sms): here, below both, so that neither imports the other to raise it."""


class SendError(Exception):
    """The message could not be handed over (the server refused it or could not be reached)."""
