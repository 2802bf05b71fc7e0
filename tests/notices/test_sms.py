"""The SMS gateway (notices/sms.py) against a local HTTP server that speaks Sveve's "Send SMS" API
(sveve.no/apidok/send): it reads the same JSON parameters and answers as the documentation shows."""
import json
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import func, select

from core.config import ConfigError
from core.extensions import db
from notices.models import Channel, OutboxMessage
from notices.sending import SendError, send_message
from notices.sms import SveveGateway, gateway_from_config

TEXT = "Du har eit møte i Stemme om 3 dagar. Logg inn for å førebu deg: https://stemme.example.no/"


class FakeSveve:
    """What the server received, and how it answers: users and passwords it knows, numbers it
    refuses, and an HTTP status to answer with instead (503: the provider is down)."""

    def __init__(self):
        self.received = []
        self.accounts = {"stemme": "api-passord"}
        self.refused_numbers = set()
        self.status = 200

    def answer(self, request: dict) -> dict:
        if self.accounts.get(request.get("user")) != request.get("passwd"):
            return {"response": {"msgOkCount": 0, "stdSMSCount": 0, "fatalError": "Feil brukernavn/passord"}}
        numbers = [n.strip() for n in str(request.get("to", "")).split(",") if n.strip()]
        refused = [n for n in numbers if n in self.refused_numbers]
        ok = [n for n in numbers if n not in refused]
        response = {"msgOkCount": len(ok), "stdSMSCount": len(ok), "ids": list(range(42824112, 42824112 + len(ok)))}
        if refused:
            response["errors"] = [{"number": n, "message": "Ugyldig mobilnummer"} for n in refused]
        return {"response": response}


def _handler(fake: FakeSveve):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            if self.path != "/SMS/SendMessage":
                self.send_error(404)
                return
            body = self.rfile.read(int(self.headers["Content-Length"]))
            request = json.loads(body.decode("utf-8"))
            fake.received.append({"content_type": self.headers["Content-Type"], **request})
            if fake.status != 200:
                self.send_error(fake.status)
                return
            answer = json.dumps(fake.answer(request)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):  # keep the test output quiet
            pass

    return Handler


@contextmanager
def serving(handler):
    """An HTTP server with `handler` on a free local port, in a thread, for the `with` block."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def sveve(app):
    """A Sveve-speaking server on a free local port; the app's SMS goes to it while the test runs."""
    fake = FakeSveve()
    keys = ("SMS_GATEWAY", "SMS_GATEWAY_URL", "SMS_USER", "SMS_PASSWORD", "SMS_SENDER")
    saved = {key: app.config[key] for key in keys}
    with serving(_handler(fake)) as server:
        app.config.update(SMS_GATEWAY="sveve", SMS_GATEWAY_URL=f"http://127.0.0.1:{server.server_port}/SMS/SendMessage",
                          SMS_USER="stemme", SMS_PASSWORD="api-passord", SMS_SENDER="Stemme")
        try:
            yield fake
        finally:
            app.config.update(saved)


def _outbox_count() -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxMessage))


def test_the_gateway_sends_number_text_sender_and_credentials(app, sveve):
    with app.app_context():
        gateway_from_config(app.config).send("+47 912 34 567", TEXT)
    [request] = sveve.received
    assert request["content_type"].startswith("application/json")
    assert request["user"] == "stemme" and request["passwd"] == "api-passord"
    assert request["to"] == "+4791234567"
    assert request["msg"] == TEXT  # UTF-8 as it was given: æ, ø and å arrive unchanged
    assert request["from"] == "Stemme"
    assert request["f"] == "json"


def test_send_message_by_sms_goes_to_the_gateway_and_not_to_the_outbox(app, sveve):
    with app.app_context():
        before = _outbox_count()
        send_message(Channel.SMS, "91234567", "", TEXT)
        assert _outbox_count() == before
    assert [(r["to"], r["msg"]) for r in sveve.received] == [("91234567", TEXT)]


def test_without_a_gateway_an_sms_goes_to_the_outbox(app):
    assert not app.config["SMS_GATEWAY"]
    with app.app_context():
        send_message(Channel.SMS, "91234567", "", TEXT)
        kept = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
        assert (kept.channel, kept.address, kept.subject, kept.body) == (Channel.SMS, "91234567", None, TEXT)
        db.session.rollback()


@pytest.mark.parametrize(("setup", "reason"), [
    (lambda fake: fake.accounts.clear(), "sveve: Feil brukernavn/passord"),
    (lambda fake: fake.refused_numbers.add("91234567"), "sveve: the number was refused"),
    (lambda fake: setattr(fake, "status", 503), "sveve: HTTP 503"),
], ids=["wrong-password", "refused-number", "provider-down"])
def test_a_refusal_is_a_send_error_with_a_short_reason_and_no_message_text(app, sveve, setup, reason):
    setup(sveve)
    with app.app_context(), pytest.raises(SendError) as raised:
        send_message(Channel.SMS, "91234567", "", TEXT)
    assert str(raised.value) == reason
    assert "møte" not in str(raised.value) and "91234567" not in str(raised.value)
    assert len(sveve.received) == 1


def test_an_unreachable_provider_is_a_send_error():
    with serving(BaseHTTPRequestHandler) as server:
        port = server.server_port  # closed again when the block ends: nothing listens there
    closed = SveveGateway(f"http://127.0.0.1:{port}/SMS/SendMessage", "stemme", "api-passord", "Stemme", timeout=2)
    with pytest.raises(SendError, match="^sveve: "):
        closed.send("91234567", TEXT)


def test_an_answer_that_is_not_the_documented_json_is_a_send_error(app):
    class Garbage(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(200)
            self.send_header("Content-Length", "9")
            self.end_headers()
            self.wfile.write(b"<html/>\r\n")

        def log_message(self, *args):
            pass

    with serving(Garbage) as server:
        gateway = SveveGateway(f"http://127.0.0.1:{server.server_port}/", "u", "p", "Stemme")
        with pytest.raises(SendError, match="^sveve: unreadable answer$"):
            gateway.send("91234567", TEXT)


def test_the_default_address_is_sveves_own():
    gateway = gateway_from_config({"SMS_GATEWAY": "sveve", "SMS_GATEWAY_URL": "", "SMS_USER": "u",
                                   "SMS_PASSWORD": "p", "SMS_SENDER": "Stemme"})
    assert gateway.url == "https://sveve.no/SMS/SendMessage"


@pytest.mark.parametrize(("change", "says"), [
    ({"SMS_GATEWAY": "twilio"}, "SMS_GATEWAY must be one of: sveve"),
    ({"SMS_GATEWAY_URL": "file:///etc/passwd"}, r"SMS_GATEWAY_URL must be an http\(s\) address"),
    ({"SMS_PASSWORD": ""}, "SMS_USER and SMS_PASSWORD must be set"),
    ({"SMS_SENDER": "Stemme for unge"}, "SMS_SENDER must be 1 to 11"),
], ids=["unknown-provider", "not-http", "no-password", "sender-too-long"])
def test_a_configuration_the_gateway_cannot_use_is_refused_clearly(change, says):
    config = {"SMS_GATEWAY": "sveve", "SMS_GATEWAY_URL": "", "SMS_USER": "u", "SMS_PASSWORD": "p",
              "SMS_SENDER": "Stemme", **change}
    with pytest.raises(ConfigError, match=says):
        gateway_from_config(config)
