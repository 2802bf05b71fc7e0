"""SMS through an HTTP gateway: the interface notices.sending calls, and one implementation, Sveve.

Off by default: notices.sending uses a gateway only when SMS_GATEWAY names one (here: "sveve"); without
it an SMS goes to the local outbox. What the message says is the composer's business (notices/messages.py):
a gateway sends the text it is given and keeps none of it, not even in its errors."""
import json
import re
import urllib.error
import urllib.request
from typing import Protocol
from urllib.parse import urlsplit

from core.config import ConfigError
from notices.errors import SendError

TIMEOUT_SECONDS = 15
# Sveve's "from": at most 11 characters, no special characters (letters and digits; a number may
# also be given, which is digits only).
SENDER = re.compile(r"^[A-Za-z0-9]{1,11}$")


class SmsGateway(Protocol):
    def send(self, number: str, text: str) -> None:
        """Hand one SMS to the provider; raises notices.errors.SendError when it is not accepted."""


class SveveGateway:
    """Sveve AS (sveve.no), a Norwegian SMS provider: its "Send SMS" API as documented at
    https://sveve.no/apidok/send (the same API at sveve.se/apidok/send and sveve.dk/apidok/send).

    One POST of a JSON body {user, passwd, to, msg, from, f: "json"} to `<base>/SMS/SendMessage`; the
    answer is {"response": {"msgOkCount", "stdSMSCount", "ids", "fatalError"?, "errors"?: [{"number",
    "message"}]}}. A fatalError (wrong user name or password, no credit, …) or an error for the number
    means the message was not sent."""

    name = "sveve"
    default_url = "https://sveve.no/SMS/SendMessage"

    def __init__(self, url: str, user: str, password: str, sender: str, timeout: float = TIMEOUT_SECONDS):
        self.url, self.user, self.password, self.sender, self.timeout = url, user, password, sender, timeout

    def send(self, number: str, text: str) -> None:
        body = json.dumps({"user": self.user, "passwd": self.password, "to": "".join(number.split()),
                           "msg": text, "from": self.sender, "f": "json"}).encode()
        request = urllib.request.Request(self.url, data=body, method="POST", headers={
            "Content-Type": "application/json; charset=utf-8", "Accept": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                raw = answer.read()
        except urllib.error.HTTPError as error:
            error.close()  # the refusal holds the connection open until closed
            raise SendError(f"sveve: HTTP {error.code}") from error
        except (OSError, ValueError) as error:  # URLError, a refused connection, a timeout
            raise SendError(f"sveve: {type(error).__name__}") from error
        try:
            response = json.loads(raw)["response"]
            ok = int(response.get("msgOkCount") or 0)
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise SendError("sveve: unreadable answer") from error
        if response.get("fatalError"):
            # The provider's own short reason ("Feil brukernavn/passord"); never the text we sent.
            raise SendError(f"sveve: {str(response['fatalError'])[:80]}")
        if response.get("errors") or ok < 1:
            # The error names the number; what is kept is only that the number was refused.
            raise SendError("sveve: the number was refused")


GATEWAYS = {SveveGateway.name: SveveGateway}


def gateway_from_config(config) -> SmsGateway:
    """The gateway SMS_GATEWAY names, set up from SMS_GATEWAY_URL (default: the provider's own
    address), SMS_USER, SMS_PASSWORD and SMS_SENDER. Raises ConfigError for anything it cannot use."""
    name = (config.get("SMS_GATEWAY") or "").strip().lower()
    gateway = GATEWAYS.get(name)
    if gateway is None:
        known = ", ".join(sorted(GATEWAYS))
        raise ConfigError(f"SMS_GATEWAY must be one of: {known} (or empty for no SMS), not {name!r}")
    url = config.get("SMS_GATEWAY_URL") or gateway.default_url
    if urlsplit(url).scheme not in ("https", "http") or not urlsplit(url).netloc:
        raise ConfigError(f"SMS_GATEWAY_URL must be an http(s) address, not {url!r}")
    if not config.get("SMS_USER") or not config.get("SMS_PASSWORD"):
        raise ConfigError("SMS_USER and SMS_PASSWORD must be set when SMS_GATEWAY is set")
    sender = config.get("SMS_SENDER") or ""
    if not SENDER.match(sender):
        raise ConfigError("SMS_SENDER must be 1 to 11 letters (a–z) or digits, with no spaces")
    return gateway(url, config["SMS_USER"], config["SMS_PASSWORD"], sender)
