"""The admin's outbox (/admin/outbox): what send_message kept instead of sending, when no SMTP server
is set up, newest first and a page at a time."""
from datetime import timedelta

from core.extensions import db
from core.models import utcnow
from notices.models import Channel, OutboxMessage
from notices.sending import send_message
from tests.helpers import page, sign_in, translated


def test_the_outbox_shows_a_message_kept_without_smtp(app, client, cast):
    assert not app.config["SMTP_HOST"]
    with app.app_context():
        send_message(Channel.EMAIL, "mor.ola@example.no", "Stemme: eit møte", "Logg inn: http://x/login")
        send_message(Channel.SMS, "+4791234567", "", "Logg inn for å førebu deg: http://x/login")
        db.session.commit()
    sign_in(client, cast.admin)
    response = client.get("/admin/outbox")
    assert response.status_code == 200
    rows = [[cell.text() for cell in row.find_all("td")] for row in page(response).by_id("outbox").find_all("tr")]
    rows = [row for row in rows if row]
    assert len(rows) == 2
    assert {row[1] for row in rows} == {translated(app, "E-mail"), translated(app, "SMS")}
    email = next(row for row in rows if row[2] == "mor.ola@example.no")
    assert email[3:] == ["Stemme: eit møte", "Logg inn: http://x/login"]
    sms = next(row for row in rows if row[2] == "+4791234567")
    assert sms[3:] == ["", "Logg inn for å førebu deg: http://x/login"]


def test_the_outbox_is_paged_newest_first(app, client, cast):
    start = utcnow() - timedelta(hours=2)
    with app.app_context():
        db.session.add_all([OutboxMessage(channel=Channel.EMAIL, address=f"p{n}@example.no", subject="Stemme",
                                          body="Logg inn", created_at=start + timedelta(minutes=n))
                            for n in range(55)])
        db.session.commit()
    sign_in(client, cast.admin)

    def addresses(response):
        return [row.find_all("td")[2].text() for row in page(response).by_id("outbox").find_all("tr")
                if row.find_all("td")]

    first = client.get("/admin/outbox")
    assert addresses(first) == [f"p{n}@example.no" for n in range(54, 4, -1)]
    assert page(first).find("a", rel="next")["href"] == "/admin/outbox?page=2"
    second = client.get("/admin/outbox?page=2")
    assert addresses(second) == [f"p{n}@example.no" for n in range(4, -1, -1)]
    assert page(second).find("a", rel="next") is None
    assert page(second).find("a", rel="prev")["href"] == "/admin/outbox"
    assert client.get("/admin/outbox?page=nonsense").status_code == 200


def test_the_admin_page_links_to_the_outbox(client, cast):
    sign_in(client, cast.admin)
    links = [a["href"] for a in page(client.get("/admin")).find_all("a")]
    assert "/admin/outbox" in links


def test_the_empty_outbox_says_so(app, client, cast):
    sign_in(client, cast.admin)
    assert translated(app, "The outbox is empty.") in page(client.get("/admin/outbox")).text()
