"""Nynorsk and bokmål: complete catalogues, the language choice, and dates in Oslo time."""
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask_babel import force_locale, gettext

from core.formatting import date_time, long_date
from tests.conftest import csrf_token

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"
SOURCES = ["app.py", "core", "access", "accounts", "pathways", "youth", "feedback", "notices", "demo", "templates"]


def catalogue(locale: str):
    with open(LOCALES / locale / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=locale)


def template_ids():
    with open(LOCALES / "messages.pot", "rb") as f:
        return {m.id for m in read_po(f) if m.id}


@pytest.mark.parametrize("locale", ["nn", "nb"])
def test_every_message_is_translated_and_not_fuzzy(locale):
    """No empty, fuzzy or missing translation in either catalogue."""
    messages = [m for m in catalogue(locale) if m.id]
    ids = {m.id for m in messages}
    assert template_ids() <= ids, f"{locale} lacks: {sorted(map(str, template_ids() - ids))[:10]}"
    untranslated = [m.id for m in messages if not (all(m.string) if isinstance(m.string, tuple) else m.string)]
    fuzzy = [m.id for m in messages if m.fuzzy]
    assert not untranslated, f"{locale} untranslated: {untranslated[:10]}"
    assert not fuzzy, f"{locale} fuzzy: {fuzzy[:10]}"


def test_the_template_has_every_message_in_the_code(tmp_path):
    """messages.pot is current: `make translations` was run after the last text change."""
    fresh = tmp_path / "fresh.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "_l",
         "-o", str(fresh), *SOURCES],
        cwd=ROOT, check=True, capture_output=True,
    )
    with open(fresh, "rb") as f:
        in_code = {m.id for m in read_po(f) if m.id}
    assert in_code == template_ids(), {
        "missing from messages.pot": sorted(map(str, in_code - template_ids()))[:10],
        "no longer in the code": sorted(map(str, template_ids() - in_code))[:10],
    }


@pytest.mark.parametrize(("header", "locale"), [
    ("nn", "nn"), ("nn-NO", "nn"), ("nb", "nb"), ("no", "nb"), ("nb-NO", "nb"), ("no-NO", "nb"),
    ("en-GB, nn;q=0.8, nb;q=0.5", "nn"), ("en-US, no;q=0.9", "nb"), ("sv, nb;q=0.2, nn;q=0.9", "nn"),
    ("en", "nb"), ("", "nb"),
])
def test_accept_language_picks_nynorsk_or_bokmal(client, header, locale):
    """The login page follows the browser's language; Norwegian (no) means bokmål."""
    response = client.get("/login", headers={"Accept-Language": header} if header else {})
    body = response.get_data(as_text=True)
    assert f'<html lang="{locale}"' in body


def test_login_page_is_in_the_chosen_language(app, client):
    """The same page reads differently in nynorsk and bokmål, from the catalogues."""
    with app.test_request_context():
        with force_locale("nn"):
            nn_title = gettext("Log in to Stemme")
        with force_locale("nb"):
            nb_title = gettext("Log in to Stemme")
    assert nn_title != "Log in to Stemme" and nb_title != "Log in to Stemme"
    assert nn_title in client.get("/login", headers={"Accept-Language": "nn"}).get_data(as_text=True)
    assert nb_title in client.get("/login", headers={"Accept-Language": "no"}).get_data(as_text=True)


def test_choice_before_login_is_kept_in_a_cookie(client):
    """Choosing nynorsk on a bokmål browser sticks, and the form returns to the same page."""
    response = client.post("/language", data={"lang": "nn", "next": "/invitation",
                                              "csrf_token": csrf_token(client, "/invitation")},
                           headers={"Accept-Language": "nb"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/invitation"
    assert "stemme_lang=nn" in response.headers["Set-Cookie"]
    page = client.get("/invitation", headers={"Accept-Language": "nb"}).get_data(as_text=True)
    assert '<html lang="nn"' in page


def test_language_form_does_not_redirect_off_site(client):
    """The `next` field cannot send anyone to another site."""
    response = client.post("/language", data={"lang": "nb", "next": "https://evil.example/",
                                              "csrf_token": csrf_token(client)})
    assert response.status_code == 303
    assert response.headers["Location"] == "/"


def test_unknown_language_changes_nothing(client):
    """Only nn and nb can be chosen."""
    response = client.post("/language", data={"lang": "sv", "next": "/login", "csrf_token": csrf_token(client)})
    assert response.status_code == 303
    assert "Set-Cookie" not in response.headers or "stemme_lang" not in response.headers["Set-Cookie"]


@pytest.mark.parametrize(("locale", "expected_date", "expected_time"), [
    ("nn", "13. mars 2026", "13. mars 2026, 00:30"),
    ("nb", "13. mars 2026", "13. mars 2026, 00:30"),
])
def test_dates_are_shown_in_oslo_time(app, locale, expected_date, expected_time):
    """23:30 UTC on 12 March is already 13 March in Oslo (CET, UTC+1)."""
    moment = datetime(2026, 3, 12, 23, 30, tzinfo=timezone.utc)
    with app.test_request_context(), force_locale(locale):
        assert date_time(moment) == expected_time
        assert long_date(moment.date().replace(day=13)) == expected_date


def test_summer_time_is_respected(app):
    """In July Oslo is UTC+2."""
    with app.test_request_context(), force_locale("nb"):
        assert date_time(datetime(2026, 7, 1, 10, 0, tzinfo=timezone.utc)) == "1. juli 2026, 12:00"
