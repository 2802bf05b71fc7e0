"""Invitation codes: what they look like, that they are never stored in clear, making them on the
pathway page, and redeeming them for a young person's or a parent's account."""
import math
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from accounts import services
from accounts.models import Invitation, ParentLink, Role, User, YoungPerson
from core.extensions import db
from core.models import utcnow
from pathways.models import EventKind, Pathway, PathwayEvent
from pathways.services import create_pathway
from tests.conftest import PASSWORD, post
from tests.helpers import alert_text, count, field_error, page, sign_in, translated

ALPHABET = re.escape(services.CODE_ALPHABET)
CODE = re.compile(rf"^[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}$")
NEW_PASSWORD = "grønn båt på fjorden"
CODE_REFUSED = ("This code does not work. Check that you typed it right. If it still does not work, "
                "ask the person who gave it to you for a new one.")


def make_invitation(app, pathway_id, by_id, role=Role.YOUNG_PERSON, name="Sara Ny", responsibility=None):
    """An invitation made through the service; returns (invitation id, code)."""
    with app.app_context():
        pathway = db.session.get(Pathway, pathway_id)
        invitation, code = services.create_invitation(pathway, db.session.get(User, by_id), role, name,
                                                      responsibility)
        return invitation.id, code


@pytest.fixture()
def sara(app, cast):
    """A new pathway for Sara, who has no account yet, coordinated by Kari."""
    with app.app_context():
        kari = db.session.get(User, cast.kari)
        return create_pathway(kari, "Sara Ny", date.today() - timedelta(days=14 * 365), "Skulevegring").id


@pytest.fixture()
def sara_code(app, cast, sara):
    """An unused invitation code for Sara's own account."""
    return make_invitation(app, sara, cast.kari)[1]


def invitation_row(app, invitation_id):
    with app.app_context():
        return db.session.get(Invitation, invitation_id)


def type_code(client, code):
    """Step 1: type the code; it must be accepted."""
    response = post(client, "/invitation", {"code": code})
    assert response.status_code == 303, response.status_code
    assert response.headers["Location"] == "/invitation/account"
    return response


def choose_account(client, username="sara", password=NEW_PASSWORD, confirm=None):
    """Step 2: choose a username and a password."""
    return post(client, "/invitation/account",
                {"username": username, "password": password, "confirm": password if confirm is None else confirm})


def test_code_format_and_entropy():
    """Codes are XXXX-XXXX-XXXX from the unambiguous alphabet, with at least 40 bits, and do not repeat."""
    codes = [services.new_code() for _ in range(1000)]
    assert all(CODE.match(code) for code in codes), [c for c in codes if not CODE.match(c)][:3]
    assert len(services.CODE_ALPHABET) ** 12 >= 2 ** 40
    assert math.log2(len(set(services.CODE_ALPHABET)) ** 12) >= 40
    assert not set("0O1IL") & set(services.CODE_ALPHABET)
    assert len(set(codes)) == 1000


def test_code_is_not_stored_in_clear(app, cast, sara):
    """No column of the invitations table holds the code, with or without its dashes."""
    make_invitation(app, sara, cast.kari)
    invitation_id, code = make_invitation(app, sara, cast.kari, Role.PARENT, "Mor Sara", True)
    forms = {code, code.replace("-", ""), code.lower(), code.replace("-", "").lower()}
    with app.app_context():
        rows = db.session.execute(select(Invitation.__table__)).mappings().all()
    assert len(rows) == 2
    for row in rows:
        for column, value in row.items():
            assert not any(form in str(value) for form in forms), column
    assert invitation_row(app, invitation_id).code_hash == services.code_hash(code)


def test_team_member_makes_an_invitation_on_the_page(app, client, cast, sara):
    """A professional on the team gets a code on the page; it is stored (hashed) for that pathway."""
    sign_in(client, cast.kari)
    response = post(client, f"/pathways/{sara}/invitations/new", {"role": "young_person"})
    assert response.status_code == 200
    code = page(response).by_id("invitation-code").text()
    assert CODE.match(code), code
    assert "Sara Ny" in page(response).find("h1").text()
    with app.app_context():
        invitation = db.session.scalar(select(Invitation).where(Invitation.code_hash == services.code_hash(code)))
        assert (invitation.pathway_id, invitation.role, invitation.invitee_name, invitation.created_by_id) == (
            sara, Role.YOUNG_PERSON, "Sara Ny", cast.kari)
        assert invitation.used_at is None
        assert timedelta(days=13) < invitation.expires_at - utcnow() <= timedelta(days=14)
    assert count(app, PathwayEvent, PathwayEvent.pathway_id == sara,
                 PathwayEvent.kind == EventKind.INVITATION_CREATED) == 1


def test_young_person_redeems_the_code_for_a_new_pathway(app, client, cast):
    """From a new pathway to the young person's own account: code typed loosely, account in their language."""
    sign_in(client, cast.kari)
    created = post(client, "/pathways/new",
                   {"name": "Sara Ny", "birth_date": "2012-03-04", "title": "Skulevegring", "template": "other"})
    assert created.status_code == 303
    pathway_id = int(created.headers["Location"].rsplit("/", 1)[1])
    code = page(post(client, f"/pathways/{pathway_id}/invitations/new",
                     {"role": "young_person"})).by_id("invitation-code").text()

    young = app.test_client()
    young.environ_base["HTTP_ACCEPT_LANGUAGE"] = "nn-NO,nn;q=0.9"
    type_code(young, code.lower().replace("-", " "))
    response = choose_account(young, username="Sara.Ny")
    assert response.status_code == 303
    assert response.headers["Location"] == "/me"
    home = young.get("/me")
    assert home.status_code == 200
    assert page(home).find("html")["lang"] == "nn"
    assert "Skulevegring" in page(home).by_id("main").text()

    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "sara.ny"))
        assert (user.role, user.name, user.locale) == (Role.YOUNG_PERSON, "Sara Ny", "nn")
        pathway = db.session.get(Pathway, pathway_id)
        assert pathway.young_person.user_id == user.id
        invitation = db.session.scalar(select(Invitation).where(Invitation.pathway_id == pathway_id))
        assert invitation.used_at is not None
        assert invitation.used_by_id == user.id


def test_parent_redeems_a_parent_invitation(app, client, cast, sara):
    """A parent invited with parental responsibility gets a parent account linked to the child."""
    sign_in(client, cast.kari)
    response = post(client, f"/pathways/{sara}/invitations/new",
                    {"role": "parent", "parent_name": "Mor Sara", "parental_responsibility": "yes"})
    code = page(response).by_id("invitation-code").text()

    parent = app.test_client()
    type_code(parent, code)
    response = choose_account(parent, username="mor.sara")
    assert response.status_code == 303
    assert response.headers["Location"] == "/family"
    assert "Skulevegring" in page(parent.get("/family")).by_id("main").text()
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "mor.sara"))
        assert (user.role, user.name) == (Role.PARENT, "Mor Sara")
        link = db.session.scalar(select(ParentLink).where(ParentLink.user_id == user.id))
        assert link.parental_responsibility is True
        assert link.young_person_id == db.session.get(Pathway, sara).young_person_id
        # The young person's own account is still to be made with their own code.
        assert db.session.get(Pathway, sara).young_person.user_id is None


def test_parent_invitation_needs_a_name_and_an_answer_on_responsibility(app, client, cast, sara):
    """Inviting a parent without a name or a yes/no on parental responsibility makes no code."""
    sign_in(client, cast.kari)
    response = post(client, f"/pathways/{sara}/invitations/new",
                    {"role": "parent", "parent_name": "  ", "parental_responsibility": "kanskje"})
    assert response.status_code == 200
    assert field_error(response, "parent_name") == translated(app, "Write the parent's name.")
    assert page(response).by_id("parental_responsibility-error").text() == translated(app, "Choose yes or no.")
    assert page(response).find(id="invitation-code") is None
    assert count(app, Invitation) == 0


def test_wrong_used_and_expired_codes_get_the_same_refusal(app, client, cast, sara):
    """A wrong, a used and an expired code get the same words and status: guessing teaches nothing."""
    used_id, used = make_invitation(app, sara, cast.kari)
    expired_id, expired = make_invitation(app, sara, cast.kari)
    with app.app_context():
        db.session.get(Invitation, used_id).used_at = utcnow() - timedelta(hours=1)
        db.session.get(Invitation, expired_id).expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    responses = [post(client, "/invitation", {"code": code}) for code in ("AAAA-BBBB-CCCC", used, expired)]
    assert [r.status_code for r in responses] == [400, 400, 400]
    assert {alert_text(r) for r in responses} == {translated(app, CODE_REFUSED)}
    assert client.get("/invitation/account").status_code == 303


def test_right_code_works_after_others_wrong_codes_from_the_same_address(app, client, cast, sara_code):
    """40 wrong codes from one address (a school's network): the first 30 in a minute get the usual
    refusal, the rest are told to wait (429 with Retry-After); Sara, at the same address, types her
    code and it is taken at once."""
    guesser = app.test_client()
    statuses = [post(guesser, "/invitation", {"code": f"AAAA-BBBB-{n:04d}"}) for n in range(40)]
    assert [r.status_code for r in statuses] == [400] * 30 + [429] * 10
    assert 1 <= int(statuses[-1].headers["Retry-After"]) <= 60
    assert alert_text(statuses[0]) == translated(app, CODE_REFUSED)
    type_code(client, sara_code)
    assert client.get("/invitation/account").status_code == 200


def test_the_phone_that_made_the_account_is_not_slowed_by_others_guesses(app, client, cast, sara_code):
    """The browser that made Sara's account is hers for throttling (a signed device cookie): after
    someone at the same address has used up their guesses at «sara», she logs in there at once."""
    type_code(client, sara_code)
    assert choose_account(client).status_code == 303
    post(client, "/logout")
    guesser = app.test_client()
    statuses = [post(guesser, "/login", {"login": "sara", "password": "ikkje-rett-passord"}).status_code
                for _ in range(6)]
    assert statuses == [401] * 5 + [429]
    assert post(client, "/login", {"login": "sara", "password": NEW_PASSWORD}).status_code == 303


def test_taken_username_is_refused_beside_the_field(app, client, sara_code):
    """A username someone has already is refused beside the field, which keeps what was typed."""
    users = count(app, User)
    type_code(client, sara_code)
    response = choose_account(client, username="ola")
    assert response.status_code == 200
    assert field_error(response, "username") == translated(app, "This username is taken. Choose another one.")
    assert page(response).by_id("username")["value"] == "ola"
    assert count(app, User) == users
    assert count(app, Invitation, Invitation.used_at.is_not(None)) == 0


@pytest.mark.parametrize(("username", "password", "confirm", "field", "message"), [
    ("sara", "password1", None, "password", "This password is too common. Try a few words you remember easily."),
    ("sara", "passord123", None, "password", "This password is too common. Try a few words you remember easily."),
    ("sara", "kort-pw", None, "password", "The password must be at least 8 characters long."),
    ("sara", NEW_PASSWORD, "grønn båt på fjorde", "confirm", "The two passwords are not the same."),
    ("solskinnsdag", "SolSkinnsDag", None, "password", "The password cannot be the same as the username."),
], ids=["common-english", "common-norwegian", "seven-characters", "confirmation-differs", "same-as-username"])
def test_weak_or_mismatched_password_is_refused(app, client, sara_code, username, password, confirm, field, message):
    """A common, short, mistyped or guessable password is refused beside its field and no account is made."""
    users = count(app, User)
    type_code(client, sara_code)
    response = choose_account(client, username=username, password=password, confirm=confirm)
    assert response.status_code == 200
    assert field_error(response, field) == translated(app, message)
    assert page(response).by_id("username")["value"] == username
    assert count(app, User) == users
    assert count(app, Invitation, Invitation.used_at.is_not(None)) == 0


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_account_step_without_a_code_goes_back_to_the_code(app, client, method):
    """Without a code typed first, the account step sends the person to type one."""
    if method == "GET":
        response = client.get("/invitation/account")
    else:
        response = post(client, "/invitation/account",
                        {"username": "sniken", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 303
    assert response.headers["Location"] == "/invitation"
    assert translated(app, "Type the code from your invitation first.") in page(client.get("/invitation")).text()
    assert count(app, User, User.username == "sniken") == 0


def test_same_invitation_redeemed_twice_gives_one_account(app, cast, sara):
    """Two redemptions of one invitation (two tabs, a double tap) make one account only."""
    invitation_id, _code = make_invitation(app, sara, cast.kari)
    with app.app_context():
        first = services.redeem_invitation(db.session.get(Invitation, invitation_id), "sara", PASSWORD, "nb")
        second = services.redeem_invitation(db.session.get(Invitation, invitation_id), "sara2", PASSWORD, "nb")
        assert first is not None
        assert second is None
    assert count(app, User, User.username.in_(["sara", "sara2"])) == 1
    assert count(app, PathwayEvent, PathwayEvent.kind == EventKind.INVITATION_REDEEMED) == 1


def test_young_person_invitation_for_someone_with_an_account_does_not_work(app, client, cast):
    """A young-person code for someone who has an account already is refused like a wrong code."""
    _id, code = make_invitation(app, cast.pathway_a, cast.kari, name="Ola Nordvik")
    response = post(client, "/invitation", {"code": code})
    assert response.status_code == 400
    assert alert_text(response) == translated(app, CODE_REFUSED)
    assert count(app, User, User.role == Role.YOUNG_PERSON) == 2


def test_second_young_person_code_stops_working_once_the_account_exists(app, client, cast, sara):
    """With two codes for the same young person, the second fails at the last step once one is used."""
    first_id, _first = make_invitation(app, sara, cast.kari)
    second_id, second = make_invitation(app, sara, cast.kari)
    type_code(client, second)
    with app.app_context():
        assert services.redeem_invitation(db.session.get(Invitation, first_id), "sara", PASSWORD, "nb")
    response = choose_account(client, username="sara.to")
    assert response.status_code == 303
    assert response.headers["Location"] == "/invitation"
    assert count(app, User, User.username == "sara.to") == 0
    assert invitation_row(app, second_id).used_at is None
    with app.app_context():
        person = db.session.get(Pathway, sara).young_person
        assert person.user.username == "sara"
    assert count(app, YoungPerson) == 3


def test_nobody_joins_a_closed_pathway_with_an_old_code(app, client, cast, sara):
    """A parent's code made before the pathway was closed no longer works: the same refusal as any
    code that does not work, and no account or parent link is made. A code typed before the closing
    is refused at the account step too."""
    from pathways.services import close_pathway

    _, before = make_invitation(app, sara, cast.kari, Role.PARENT, "Mor Ny", True)
    _, typed = make_invitation(app, sara, cast.kari, Role.PARENT, "Far Ny", True)
    other = app.test_client()
    type_code(other, typed)
    with app.app_context():
        close_pathway(db.session.get(Pathway, sara), db.session.get(User, cast.kari), "Ferdig")
    response = post(client, "/invitation", {"code": before})
    assert response.status_code == 400
    assert alert_text(response) == translated(app, CODE_REFUSED)
    finished = choose_account(other, username="far.ny")
    assert finished.status_code == 303 and finished.headers["Location"] != "/family"
    assert count(app, ParentLink) == 2  # the cast's two parents only
    assert count(app, User, User.username == "far.ny") == 0
