"""Access table rows for a person's own notice settings (everyone logged in, each their own) and the
stop link in every message (no login: the signed token is the key)."""
from tests.access_rules import LOGIN, expect

EVERYONE = expect(200, anonymous=LOGIN)


def _stop(c):
    from notices.messages import stop_url

    with c.app.app_context():  # the token is signed with the app's secret key
        return {"token": stop_url(c.ola).rpartition("/")[2]}


ROWS = {
    ("notices.settings", "GET"): (None, None, EVERYONE),
    # Without SMTP_HOST the code goes to the outbox; every role has its own contacts.
    ("notices.add_contact", "POST"): (lambda c: {"channel": "email"}, lambda c: {"email-address": "ny@test.no"},
                                      expect(303, anonymous=LOGIN)),
    # Nobody has an address yet: there is nothing of theirs to confirm, send a code to, or remove.
    ("notices.confirm_contact", "POST"): (lambda c: {"channel": "email"}, lambda c: {"email-code-code": "123456"},
                                          expect(404, anonymous=LOGIN)),
    ("notices.new_code", "POST"): (lambda c: {"channel": "email"}, None, expect(404, anonymous=LOGIN)),
    ("notices.remove_contact", "POST"): (lambda c: {"channel": "sms"}, None, expect(404, anonymous=LOGIN)),
    ("notices.save_choices", "POST"): (None, lambda c: {"stop_all": "y"}, expect(303, anonymous=LOGIN)),
    ("notices.stop", "GET"): (_stop, None, expect(200)),
    ("notices.stop", "POST"): (_stop, None, expect(200)),
}
