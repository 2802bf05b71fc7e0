"""core.kept_form: what a person sent, given back in a form that sends it again."""
from core.kept_form import kept_form_page
from tests.helpers import page


def test_posted_fields_come_back_once_each_editable_and_labelled(app, client):
    """Without a form: every field once, text in a textarea, a fresh CSRF token, the headers given."""
    with app.test_request_context("/my/pathways/1/statements/new", method="POST"):
        response = kept_form_page(
            "/my/pathways/1/statements/new",
            [("csrf_token", "old"), ("text", "Eg søv dårleg\nom natta"), ("sharing", "team"), ("tag", "a"),
             ("tag", "b")],
            "Send what you wrote", "You were logged out.", 200, labels={"text": "What is hard"},
            **{"Retry-After": "5"})
    assert response.status_code == 200
    assert response.headers["Retry-After"] == "5"
    body = page(response)
    form = body.find("form", action="/my/pathways/1/statements/new")
    assert form["method"] == "post"
    token = form.find("input", name="csrf_token")["value"]
    assert token and token != "old"
    textarea = form.find("textarea", name="text")
    assert textarea.text() == "Eg søv dårleg om natta"
    labels = {label.get("for"): label.text() for label in form.find_all("label")}
    assert labels[textarea["id"]] == "What is hard"
    posted = [(node["name"], node["value"]) for node in form.find_all("input") if node["name"] != "csrf_token"]
    assert posted == [("sharing", "team"), ("tag", "a"), ("tag", "b")]
    assert body.find(role="alert").text() == "You were logged out."
    assert body.find("h1").text() == "Send what you wrote"
    assert form.find("button", type="submit") is not None


def test_the_posted_form_is_the_one_with_the_posted_fields(app):
    """A form with only a CSRF token (a button's) is never taken for the form that was posted."""
    from core.forms import EmptyForm
    from core.kept_form import posted_form

    with app.test_request_context("/x", method="POST", data={"csrf_token": "t", "text": "Hei"}):
        EmptyForm()
        assert posted_form([("csrf_token", "t"), ("text", "Hei")]) is None
