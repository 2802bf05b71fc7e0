"""One sharing question (youth/sharing.py): for each age band, every answer the young person is
offered, chosen on the real form, and who can read the statement afterwards: the young person,
each parent, a team member, and a professional who is not on the team."""
import pytest

from accounts.models import User
from core.extensions import db
from tests.conftest import post
from tests.helpers import page, sign_in, translated
from tests.youth.test_who_sees_what import set_age
from youth.models import Sharing, Statement

# age -> [(answer, its words, the button's words, do the parents read it)], in the order shown.
ANSWERS = {
    11: [("family", "My team (and my parents)", "Send to my team and my parents", True),
         ("private", "Only me for now", "Keep it for me only", False)],
    13: [("family", "My team and my parents", "Send to my team and my parents", True),
         ("team", "My team, not my parents", "Send to my team", False),
         ("private", "Only me for now", "Keep it for me only", False)],
    17: [("team", "My team", "Send to my team", False),
         ("family", "My team and my parents", "Send to my team and my parents", True),
         ("private", "Only me for now", "Keep it for me only", False)],
}
FIRST_TIME = {11: "family", 13: "team", 17: "team"}  # with the team; from 12 the parents only when chosen


def _checked(form) -> str:
    """The sharing answer checked on the form."""
    [value] = [i["value"] for i in form.find_all("input", name="sharing") if "checked" in i.attrs]
    return value


def _client(app, user_id):
    client = app.test_client()
    sign_in(client, user_id)
    return client


def _family_sees(app, user_id, pathway_id) -> set[str]:
    response = _client(app, user_id).get(f"/my/pathways/{pathway_id}/statements/new")
    assert response.status_code == 200
    return {p.text() for p in page(response).find_all("p", class_="statement-text")}


def _professional_sees(app, user_id, pathway_id) -> set[str] | None:
    """The statements on the pathway page, or None where the page is refused."""
    response = _client(app, user_id).get(f"/pathways/{pathway_id}")
    if response.status_code != 200:
        assert response.status_code in (403, 404)
        return None
    return {p.text() for p in page(response).find_all("p", class_="statement-text")}


@pytest.mark.parametrize("age", sorted(ANSWERS))
def test_every_answer_at_every_age_reaches_exactly_whom_it_says(app, cast, father_a, age):
    set_age(app, cast, age)
    ola = _client(app, cast.ola)
    new_url = f"/my/pathways/{cast.pathway_a}/statements/new"
    form = page(ola.get(new_url)).find("form", class_="statement-form")
    labels = {label.get("for"): label.text() for label in form.find_all("label")}
    offered = [(i["value"], labels[i["id"]]) for i in form.find_all("input", name="sharing")]
    assert offered == [(value, translated(app, words)) for value, words, _button, _parents in ANSWERS[age]]
    assert _checked(form) == FIRST_TIME[age]
    assert "not_for_parents" not in str(form)  # one question, no second box
    buttons = {span["data-for"]: span.text() for span in form.find_all("span", class_="send-label")}
    for value, _words, button, parents_read in ANSWERS[age]:
        assert buttons[value] == translated(app, button)
        text = f"Svar {value} ved {age}"
        response = post(ola, new_url, {"prompt": "free", "text": text, "sharing": value, "revision": "0"})
        assert response.status_code == 303
        with app.app_context():
            assert db.session.get(User, cast.ola).last_sharing == value
            assert db.session.query(Statement).filter_by(text=text).one().sharing == Sharing(value)
        # The next new statement starts the way Ola chose now.
        assert _checked(page(ola.get(new_url)).find("form", class_="statement-form")) == value

        assert text in _family_sees(app, cast.ola, cast.pathway_a)
        for parent in (cast.mother_a, father_a):
            assert (text in _family_sees(app, parent, cast.pathway_a)) == parents_read, (value, parent)
        for member in (cast.kari, cast.per):
            assert (text in _professional_sees(app, member, cast.pathway_a)) == (value != "private")
        assert _professional_sees(app, cast.lise, cast.pathway_a) is None  # not on the team
        assert text not in _family_sees(app, cast.emma, cast.pathway_b)  # the other family


@pytest.mark.parametrize(("age", "refused"), [(11, "team"), (13, "nobody"), (17, "parents")])
def test_an_answer_not_offered_at_this_age_is_refused_with_a_message_and_nothing_lost(app, cast, age, refused):
    set_age(app, cast, age)
    ola = _client(app, cast.ola)
    response = post(ola, f"/my/pathways/{cast.pathway_a}/statements/new",
                    {"prompt": "free", "text": "Eg skreiv dette", "sharing": refused, "revision": "0"})
    assert response.status_code == 400
    main = page(response).by_id("main")
    assert main.by_id("text").text() == "Eg skreiv dette"
    assert main.find("div", class_="ds-error-summary") is not None
    with app.app_context():
        assert db.session.query(Statement).filter_by(text="Eg skreiv dette").count() == 0


@pytest.mark.parametrize(("value", "button", "parents_read"), [
    ("team", "Send to my team", False), ("family", "Send to my team and my child", True),
    ("private", "Keep it for me only", False)])
def test_a_parents_answers_and_who_reads_them(app, cast, father_a, value, button, parents_read):
    """A parent: "my team", "my team and my child" or "only me for now"; the other parent never reads it."""
    mother = _client(app, cast.mother_a)
    new_url = f"/my/pathways/{cast.pathway_a}/statements/new"
    form = page(mother.get(new_url)).find("form", class_="statement-form")
    assert _checked(form) == "team"
    assert form.find("span", class_="send-label", data_for=value).text() == translated(app, button)
    text = f"Mor: {value}"
    assert post(mother, new_url, {"prompt": "free", "text": text, "sharing": value, "revision": "0"}).status_code == 303
    assert text in _family_sees(app, cast.mother_a, cast.pathway_a)
    assert (text in _family_sees(app, cast.ola, cast.pathway_a)) == parents_read
    assert text not in _family_sees(app, father_a, cast.pathway_a)
    assert (text in _professional_sees(app, cast.kari, cast.pathway_a)) == (value != "private")
