"""The before-the-meeting page as a PDF for the health record (issue 18): made on the server by
WeasyPrint in the reader's language, saying when and by whom, logged like a read of the page, and
made without a single request to anyone."""
import io
import re
import socket
import time
from collections import defaultdict

import pytest
from pypdf import PdfReader
from sqlalchemy import select, update

from accounts.models import User
from core import pdf
from core.extensions import db
from core.models import OSLO
from pathways.models import AccessLog, InputKind, Meeting, TeamMember
from tests.conftest import as_user
from tests.helpers import translated
from tests.pathways.test_before_meeting_summary import demo  # noqa: F401  (the fixture)
from tests.test_data_path import Transactions


def t(app, message, locale="nb", **variables):
    return translated(app, message, locale=locale, **variables)


def words(text: str) -> str:
    """The PDF's text with its line breaks as spaces, as a reader would read it."""
    return " ".join(text.split())


def pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.get_data()))
    return words(" ".join(page.extract_text() for page in reader.pages))


def reads_by_time(app, reader_id) -> dict:
    """The access log's rows of one reader, as a set of (kind, item) per request (per time)."""
    with app.app_context():
        sets = defaultdict(set)
        for at, kind, item_id in db.session.execute(
                select(AccessLog.at, AccessLog.item_kind, AccessLog.item_id).where(AccessLog.reader_id == reader_id)):
            sets[at].add((kind, item_id))
        return sets


def set_locale(app, user_id, locale):
    with app.app_context():
        db.session.execute(update(User).where(User.id == user_id).values(locale=locale))
        db.session.commit()


def test_kari_gets_the_pdf_of_olas_care_team_meeting_with_what_the_page_shows(app, demo):  # noqa: F811
    set_locale(app, demo["kari"], "nb")
    kari = as_user(app, demo["kari"])
    started = time.perf_counter()
    response = kari.get(demo["url"] + "/pdf")
    took = (time.perf_counter() - started) * 1000
    print(f"the PDF of Ola's care team meeting: {took:.0f} ms, {len(response.get_data())} bytes")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.get_data().startswith(b"%PDF-")
    assert response.headers["Cache-Control"] == "no-store"
    # A file name without the young person's name: it lands in a Downloads folder.
    with app.app_context():
        starts_at = db.session.get(Meeting, demo["meeting"]).starts_at
    day = starts_at.astimezone(OSLO).date().isoformat()
    assert response.headers["Content-Disposition"] == f'attachment; filename="stemme-mote-{day}.pdf"'

    text = pdf_text(response)
    assert t(app, "Before the meeting: %(name)s", name="Ola Nordvik") in text
    # The summary at the top: how Ola takes part and what he needs.
    assert t(app, "I take part in part of the meeting") in text
    assert "Ein pause midt i møtet" in text
    # How the last meeting felt, in Ola's own words.
    assert "Vi snakka nesten ikkje om skulen, og det var det eg ville." in text
    assert "4,0 → 2,4" in text
    # Every open point from earlier meetings, with Ola's question to it.
    assert "Ola skriv ned kva tid han legg seg kvar kveld" in text
    assert "Per snakkar med kontaktlæraren om kva som er vanskeleg på skulen" in text
    assert "Må eg skrive det kvar kveld?" in text
    # When it was made and by whom, at the top and at the foot of each page, with the page numbers
    # the PDF stylesheet (read from our static folder) adds.
    before, after = t(app, "Made %(when)s by %(name)s (%(services)s)", when="\0", name="Kari Nordmann",
                      services="BUP Molde").split("\0")
    made = re.findall(re.escape(before) + r"\d{1,2}\. \w+ \d{4}, \d\d:\d\d" + re.escape(after), text)
    pages = len(PdfReader(io.BytesIO(response.get_data())).pages)
    assert len(made) == 1 + pages
    assert f"1 / {pages}" in text
    # Nothing of the page's navigation, forms or buttons.
    assert t(app, "Print this page") not in text
    assert t(app, "Write what was agreed at this meeting") not in text
    assert t(app, "Back to the pathway of %(name)s", name="Ola Nordvik") not in text
    # The page links to it.
    body = kari.get(demo["url"]).get_data(as_text=True)
    assert f'href="{demo["url"]}/pdf"' in body and t(app, "PDF for the health record") in body


def test_making_the_pdf_logs_the_same_reads_as_the_page_in_one_insert_and_one_commit(app, demo):  # noqa: F811
    kari = as_user(app, demo["kari"])
    assert kari.get(demo["url"]).status_code == 200
    with app.app_context():
        engine = db.engine
    watch = Transactions().attach(engine)
    try:
        assert kari.get(demo["url"] + "/pdf").status_code == 200
    finally:
        watch.detach(engine)
    assert (watch.commits, watch.log_inserts_before_commit) == (1, [0])
    sets = reads_by_time(app, demo["kari"])
    assert len(sets) == 2
    page_reads, pdf_reads = (sets[at] for at in sorted(sets))
    assert pdf_reads == page_reads
    kinds = {kind for kind, _item in pdf_reads}
    assert {InputKind.PREPARATION, InputKind.FEEDBACK, InputKind.ANSWER} <= kinds
    assert (InputKind.ANSWER, demo["answer"]) in pdf_reads
    with app.app_context():
        rows = db.session.scalars(select(AccessLog).where(AccessLog.reader_id == demo["kari"])).all()
        assert {row.pathway_id for row in rows} == {demo["pathway"]}
        assert {row.reader_services for row in rows} == {"BUP Molde"}


def test_the_pdf_is_in_the_readers_language(app, demo):  # noqa: F811
    kari = as_user(app, demo["kari"])
    texts = {}
    for locale in ("nb", "nn"):
        set_locale(app, demo["kari"], locale)
        texts[locale] = pdf_text(kari.get(demo["url"] + "/pdf"))
    for message in ("How the last meetings felt", "Agreement points still open", "Their preparations"):
        nb, nn = t(app, message, "nb"), t(app, message, "nn")
        assert nb != nn, message
        assert nb in texts["nb"] and nn not in texts["nb"], message
        assert nn in texts["nn"] and nb not in texts["nn"], message
    for locale in ("nb", "nn"):
        made = t(app, "Made %(when)s by %(name)s (%(services)s)", locale, when="\0", name="Kari Nordmann",
                 services="BUP Molde").split("\0")[1]
        assert made in texts[locale]
    # The family's own words stay as they wrote them, whatever the reader's language.
    assert all("Vi snakka nesten ikkje om skulen" in text for text in texts.values())


def test_only_the_team_gets_the_pdf(app, demo):  # noqa: F811
    with app.app_context():
        lise = db.session.scalar(select(User).where(User.email == "lise@ppt.demo"))
        assert db.session.scalar(select(TeamMember).where(TeamMember.pathway_id == demo["pathway"],
                                                          TeamMember.user_id == lise.id)) is None
        lise_id = lise.id
    url = demo["url"] + "/pdf"
    refused = as_user(app, lise_id).get(url)
    assert refused.status_code == 404 and refused.mimetype != "application/pdf"
    assert as_user(app, demo["ola"]).get(url).status_code == 403
    assert app.test_client().get(url).status_code == 302  # to the login page
    # Another pathway's meeting under Ola's pathway is not found either.
    with app.app_context():
        other = db.session.scalar(select(Meeting.id).where(Meeting.pathway_id != demo["pathway"]).limit(1))
    assert other is not None
    assert as_user(app, demo["kari"]).get(f"/pathways/{demo['pathway']}/meetings/{other}/pdf").status_code == 404
    reads = reads_by_time(app, lise_id)
    assert not reads


@pytest.fixture()
def no_network(monkeypatch):
    """Every attempt at a network connection from Python, refused and counted. (PostgreSQL's
    driver connects in libpq, not through Python's sockets, and its connection is open already.)"""
    tried = []
    real_connect = socket.socket.connect

    def connect(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            tried.append(address)
            raise OSError("no network while making a PDF")
        return real_connect(sock, address)

    def getaddrinfo(host, *args, **kwargs):
        tried.append(host)
        raise socket.gaierror("no network while making a PDF")

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return tried


def test_making_the_pdf_tries_no_network(app, demo, no_network):  # noqa: F811
    response = as_user(app, demo["kari"]).get(demo["url"] + "/pdf")
    assert response.status_code == 200 and "Ola skriv ned" in pdf_text(response)
    assert no_network == []


def test_the_fetcher_serves_our_static_files_and_refuses_everything_else(app, no_network):
    static = app.static_folder
    css = pdf.static_file(pdf.BASE_URL + "static/css/meeting_pdf.css", static)
    assert css.name == "meeting_pdf.css" and "DejaVu Sans" in css.read_text()
    for url in ("https://example.org/static/css/meeting_pdf.css", "http://stemme.invalid/static/css/meeting_pdf.css",
                "file:///etc/passwd", pdf.BASE_URL + "static/../app.py", pdf.BASE_URL + "static/%2e%2e/app.py",
                pdf.BASE_URL + "static/css/nothing-here.css", pdf.BASE_URL + "pathways/1", "data:text/css,p{}"):
        with pytest.raises(pdf.Refused):
            pdf.static_file(url, static)
    # A document that asks for things from outside: the PDF is made without them, nothing connects.
    html = """<!doctype html><html lang="nn"><head><meta charset="utf-8">
      <link rel="stylesheet" href="/static/css/meeting_pdf.css">
      <link rel="stylesheet" href="https://fonts.example.org/inter.css">
      <style>@import url("http://example.org/x.css"); @font-face { font-family: X; src: url(https://example.org/x.woff2); }
      p { font-family: X, "DejaVu Sans"; background: url(file:///etc/hostname); }</style></head>
      <body><p>Kva er viktig for deg?</p><img src="https://example.org/pixel.png" alt="">
      <img src="/static/../app.py" alt=""></body></html>"""
    refused = []
    with app.test_request_context():
        made = pdf.from_html(html, refused)
    assert "Kva er viktig for deg?" in words(PdfReader(io.BytesIO(made)).pages[0].extract_text())
    assert no_network == []
    assert {"https://fonts.example.org/inter.css", "http://example.org/x.css", "https://example.org/x.woff2",
            "file:///etc/hostname", "https://example.org/pixel.png"} <= set(refused)
    assert not any("meeting_pdf.css" in url for url in refused)
