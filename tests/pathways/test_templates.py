"""Care pathway templates: the defaults the migration loads, choosing one for a new pathway, and the
admin's editing (names, steps, who does what, in nynorsk and bokmål; deactivating)."""
import re

import pytest
from sqlalchemy import select

from accounts.models import ServiceKind, User
from core.extensions import db
from pathways.models import Pathway, PathwayTemplate, StepGuidance, TemplateStep
from pathways.services import create_pathway
from tests.conftest import _restore_template_rows, post
from tests.helpers import count, counting_queries, field_error, page, sign_in, translated

KEYS = ["anxiety", "autism", "infant_concern", "attention", "eating", "depression", "violence", "bti_relay", "other"]
# Words that give bokmål away in a nynorsk text, and the other way round (../shared/DOMAIN.md).
BOKMAL_ONLY = {"ikke", "hva", "hvem", "hvordan", "hvorfor", "noe", "noen", "mye", "mer", "flere", "fra", "selv",
               "sammen", "bare", "videre", "tjeneste", "tjenesten", "tjenester", "henvisning", "utredning",
               "vanskelig", "foresatte", "helsesykepleieren", "uke", "uker", "hjemme", "skolen", "jeg"}
NYNORSK_ONLY = {"ikkje", "kva", "kven", "korleis", "kvifor", "noko", "nokon", "mykje", "meir", "fleire", "frå",
                "sjølv", "saman", "berre", "vidare", "teneste", "tenesta", "tenester", "tilvising", "utgreiing",
                "vanskeleg", "føresette", "helsesjukepleiaren", "veke", "veker", "heime", "skulen", "eg"}


def words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def load_templates(app) -> list[PathwayTemplate]:
    with app.app_context():
        templates = list(db.session.scalars(select(PathwayTemplate).order_by(PathwayTemplate.position)))
        for template in templates:  # loaded while the session is open
            for step in template.steps:
                list(step.guidance)
        db.session.expunge_all()
        return templates


def template_id(app, key: str) -> int:
    with app.app_context():
        return db.session.scalar(select(PathwayTemplate.id).where(PathwayTemplate.key == key))


@pytest.fixture()
def admin(client, cast):
    sign_in(client, cast.admin)
    return client


@pytest.fixture()
def kari(app, cast):
    other = app.test_client()
    sign_in(other, cast.kari)
    return other


# --- the defaults ----------------------------------------------------------------------------

def test_the_default_templates_exist_in_nynorsk_and_bokmal_with_their_steps(app):
    """The seven regional care pathways, the BTI relay log and "other", in order; each with at least three
    ordered steps named in nn and nb, and each step saying who does what in nn and nb."""
    templates = load_templates(app)
    assert [t.key for t in templates] == KEYS
    assert all(t.active for t in templates)
    for template in templates:
        assert template.name_nn.strip() and template.name_nb.strip(), template.key
        assert template.summary_nn.strip() and template.summary_nb.strip(), template.key
        assert len(template.steps) >= 3, template.key
        assert [s.position for s in template.steps] == list(range(1, len(template.steps) + 1)), template.key
        for step in template.steps:
            assert step.name_nn.strip() and step.name_nb.strip(), (template.key, step.position)
            assert step.guidance, (template.key, step.position)
            for guidance in step.guidance:
                assert isinstance(guidance.service_kind, ServiceKind)
                assert guidance.text_nn.strip() and guidance.text_nb.strip(), (template.key, step.position)
                assert guidance.text_nn != guidance.text_nb or guidance.text_nn.startswith("BUP")


def test_the_seven_pathways_tell_several_services_what_to_do(app):
    """A regional care pathway is about services working together: each names at least four kinds of
    service across its steps, and refers to BUP somewhere."""
    for template in load_templates(app)[:7]:
        kinds = {g.service_kind for step in template.steps for g in step.guidance}
        assert len(kinds) >= 4, template.key
        assert ServiceKind.BUP in kinds, template.key


def test_the_texts_are_nynorsk_and_bokmal_not_a_mix(app):
    """No word that gives bokmål away in a nynorsk text, and none of nynorsk's in a bokmål text."""
    for template in load_templates(app):
        nn = [template.name_nn, template.summary_nn] + [s.name_nn for s in template.steps] + [
            g.text_nn for s in template.steps for g in s.guidance]
        nb = [template.name_nb, template.summary_nb] + [s.name_nb for s in template.steps] + [
            g.text_nb for s in template.steps for g in s.guidance]
        for text in nn:
            assert not words(text) & BOKMAL_ONLY, (template.key, text)
        for text in nb:
            assert not words(text) & NYNORSK_ONLY, (template.key, text)


def test_the_relay_log_follows_the_bti_phases(app):
    """The BTI relay log starts with whether there is reason for concern and ends with closing."""
    relay = next(t for t in load_templates(app) if t.key == "bti_relay")
    assert relay.steps[0].name_nb == "Er det grunn til bekymring?"
    assert relay.steps[0].name_nn == "Er det grunn til uro?"
    assert [s.name_nb for s in relay.steps][-2:] == ["Evaluering", "Avslutning"]
    assert any("14 dag" in g.text_nb for g in relay.steps[0].guidance)


def test_the_violence_pathway_starts_with_telling_child_welfare(app):
    violence = next(t for t in load_templates(app) if t.key == "violence")
    first = violence.steps[0]
    assert first.name_nb == "Melding til barnevernet"
    assert ServiceKind.CHILD_WELFARE in {g.service_kind for g in first.guidance}


# --- choosing a template for a new pathway --------------------------------------------------------

def offered(client, lang: str) -> list[tuple[str, str]]:
    """The templates offered on the new-pathway form: (value, label) in the order shown."""
    body = page(client.get("/pathways/new", headers={"Accept-Language": lang}))
    form = body.find("form", action="/pathways/new")
    return [(radio["value"], body.find("label", **{"for": radio["id"]}).text())
            for radio in form.find_all("input", name="template")]


@pytest.mark.parametrize("lang", ["nn", "nb"])
def test_the_new_pathway_form_offers_the_templates_in_the_readers_language(app, kari, lang):
    templates = load_templates(app)
    assert offered(kari, lang) == [(t.key, t.name_nn if lang == "nn" else t.name_nb) for t in templates]
    body = page(kari.get("/pathways/new", headers={"Accept-Language": lang}))
    anxiety = next(t for t in templates if t.key == "anxiety")
    radio = body.find("input", name="template", value="anxiety")
    summary = body.by_id(radio["aria-describedby"]).text()
    assert summary == " ".join((anxiety.summary_nn if lang == "nn" else anxiety.summary_nb).split())


def test_creating_a_pathway_from_the_anxiety_template_starts_at_its_first_step(app, kari, cast):
    response = post(kari, "/pathways/new", {"name": "Sara Ny", "birth_date": "2012-03-04", "title": "Angst",
                                            "template": "anxiety"})
    assert response.status_code == 303
    pathway_id = int(re.fullmatch(r"/pathways/(\d+)", response.headers["Location"]).group(1))
    with app.app_context():
        pathway = db.session.get(Pathway, pathway_id)
        first = db.session.scalar(select(TemplateStep).where(TemplateStep.template_id == pathway.template_id)
                                  .order_by(TemplateStep.position).limit(1))
        assert pathway.template.key == "anxiety"
        assert pathway.step_id == first.id and first.position == 1
        assert first.name_nb == "Kartlegging"


def test_create_pathway_without_a_template_leaves_it_empty(app, cast):
    """The service itself does not require a template (the demo and older pathways have none)."""
    with app.app_context():
        pathway = create_pathway(db.session.get(User, cast.lise), "Sara Ny", date_of(2012, 3, 4), "Søvn")
        assert (pathway.template_id, pathway.step_id) == (None, None)


def date_of(*parts):
    from datetime import date

    return date(*parts)


# --- the admin's pages ---------------------------------------------------------------------------

def test_admin_lists_the_templates_with_their_steps(app, admin):
    response = admin.get("/admin/templates", headers={"Accept-Language": "nb"})
    assert response.status_code == 200
    rows = page(response).find("table").find("tbody").find_all("tr")
    templates = load_templates(app)
    assert [row.find("a").text() for row in rows] == [t.name_nb for t in templates]
    assert [row.find_all("td")[1].text() for row in rows] == [str(len(t.steps)) for t in templates]
    assert page(admin.get("/admin")).find("a", href="/admin/templates") is not None


def edit_data(template: PathwayTemplate, **changes) -> dict:
    """What the edit form posts when nothing is changed, with `changes` on top."""
    data = {"name_nn": template.name_nn, "name_nb": template.name_nb,
            "summary_nn": template.summary_nn, "summary_nb": template.summary_nb}
    for step in template.steps:
        data[f"step_{step.id}_nn"], data[f"step_{step.id}_nb"] = step.name_nn, step.name_nb
        for guidance in step.guidance:
            data[f"guidance_{guidance.id}_nn"], data[f"guidance_{guidance.id}_nb"] = guidance.text_nn, guidance.text_nb
    return {**data, **changes}


def anxiety(app) -> PathwayTemplate:
    return next(t for t in load_templates(app) if t.key == "anxiety")


def test_the_template_page_shows_every_text_in_its_form(app, admin):
    template = anxiety(app)
    response = admin.get(f"/admin/templates/{template.id}")
    assert response.status_code == 200
    form = page(response).find("form", action=f"/admin/templates/{template.id}")
    step = template.steps[1]
    guidance = step.guidance[0]
    assert form.by_id("name_nn")["value"] == template.name_nn
    assert form.by_id(f"step_{step.id}_nb")["value"] == step.name_nb
    assert form.by_id(f"guidance_{guidance.id}_nn").text() == " ".join(guidance.text_nn.split())
    assert form.find("label", **{"for": f"guidance_{guidance.id}_nn"}).text() == translated(
        app, "Step %(number)d, %(service)s, in nynorsk", number=2, service=translated(app, "School health service"))


def test_admin_edits_names_steps_and_guidance(app, admin):
    template = anxiety(app)
    step, guidance = template.steps[1], template.steps[1].guidance[0]
    data = edit_data(template, name_nb="Angst hos barn og unge", summary_nn="Kort samandrag.",
                     **{f"step_{step.id}_nn": "Tiltak i kommunen og på skulen",
                        f"guidance_{guidance.id}_nb": "Helsesykepleieren har samtaler hver uke."})
    response = post(admin, f"/admin/templates/{template.id}", data)
    assert response.status_code == 303
    assert response.headers["Location"] == f"/admin/templates/{template.id}"
    with app.app_context():
        stored = db.session.get(PathwayTemplate, template.id)
        assert (stored.name_nn, stored.name_nb, stored.summary_nn) == ("Angst", "Angst hos barn og unge",
                                                                       "Kort samandrag.")
        assert db.session.get(TemplateStep, step.id).name_nn == "Tiltak i kommunen og på skulen"
        assert db.session.get(TemplateStep, step.id).name_nb == step.name_nb
        assert db.session.get(StepGuidance, guidance.id).text_nb == "Helsesykepleieren har samtaler hver uke."
        assert db.session.get(StepGuidance, guidance.id).text_nn == guidance.text_nn
    shown = page(admin.get(response.headers["Location"]))
    assert translated(app, "The template is saved.") in shown.text()


def test_an_edit_with_a_blank_name_is_refused_and_keeps_what_was_typed(app, admin):
    template = anxiety(app)
    step, guidance = template.steps[2], template.steps[0].guidance[0]
    data = edit_data(template, **{f"step_{step.id}_nb": "  ", f"guidance_{guidance.id}_nn": "Ny tekst som står att."})
    response = post(admin, f"/admin/templates/{template.id}", data)
    assert response.status_code == 400
    assert field_error(response, f"step_{step.id}_nb") == translated(app, "Fill in this field.")
    form = page(response).find("form", action=f"/admin/templates/{template.id}")
    assert form.by_id(f"guidance_{guidance.id}_nn").text() == "Ny tekst som står att."
    with app.app_context():
        assert db.session.get(StepGuidance, guidance.id).text_nn == guidance.text_nn


def test_admin_adds_a_step_at_the_end_and_guidance_for_a_service(app, admin):
    template = anxiety(app)
    response = post(admin, f"/admin/templates/{template.id}/steps",
                    {"new_step_nn": "Oppfølging etter BUP", "new_step_nb": "Oppfølging etter BUP"})
    assert response.status_code == 303
    with app.app_context():
        new = db.session.scalar(select(TemplateStep).where(TemplateStep.template_id == template.id)
                                .order_by(TemplateStep.position.desc()).limit(1))
        assert (new.position, new.name_nn) == (len(template.steps) + 1, "Oppfølging etter BUP")
        new_id = new.id
    assert response.headers["Location"] == f"/admin/templates/{template.id}#step-{new_id}"

    response = post(admin, f"/admin/templates/{template.id}/guidance",
                    {"step": str(new_id), "kind": "ppt", "guidance_nn": "PPT følgjer opp skulen.",
                     "guidance_nb": "PPT følger opp skolen."})
    assert response.status_code == 303
    with app.app_context():
        added = db.session.scalars(select(StepGuidance).where(StepGuidance.step_id == new_id)).all()
        assert [(g.service_kind, g.text_nn, g.text_nb) for g in added] == [
            (ServiceKind.PPT, "PPT følgjer opp skulen.", "PPT følger opp skolen.")]


def test_guidance_twice_for_the_same_service_is_refused_beside_the_field(app, admin):
    template = anxiety(app)
    step = template.steps[0]
    kind = step.guidance[0].service_kind
    typed = {"step": str(step.id), "kind": kind.value, "guidance_nn": "Ein gong til.", "guidance_nb": ""}
    before = count(app, StepGuidance)
    response = post(admin, f"/admin/templates/{template.id}/guidance", typed)
    assert response.status_code == 400
    assert field_error(response, "guidance_nb") == translated(app, "Fill in this field.")
    assert page(response).by_id("guidance_nn").text() == "Ein gong til."
    response = post(admin, f"/admin/templates/{template.id}/guidance", {**typed, "guidance_nb": "En gang til."})
    assert response.status_code == 400
    assert field_error(response, "kind") == translated(
        app, "This step already says what it means for this kind of service. Change that text above.")
    assert page(response).by_id("guidance_nb").text() == "En gang til."
    assert count(app, StepGuidance) == before


def test_a_new_step_needs_both_names(app, admin):
    template = anxiety(app)
    response = post(admin, f"/admin/templates/{template.id}/steps", {"new_step_nn": "Oppfølging", "new_step_nb": ""})
    assert response.status_code == 400
    assert field_error(response, "new_step_nb") == translated(app, "Fill in this field.")
    assert page(response).by_id("new_step_nn")["value"] == "Oppfølging"
    assert count(app, TemplateStep, TemplateStep.template_id == template.id) == len(template.steps)


def test_a_deactivated_template_is_not_offered_but_its_pathways_keep_it(app, admin, kari, cast):
    anxiety_id = template_id(app, "anxiety")
    with app.app_context():
        kept = create_pathway(db.session.get(User, cast.kari), "Sara Ny", date_of(2012, 3, 4), "Angst",
                              template=db.session.get(PathwayTemplate, anxiety_id))
        kept_id, kept_step = kept.id, kept.step_id
    response = post(admin, f"/admin/templates/{anxiety_id}/active")
    assert response.status_code == 303
    assert "anxiety" not in [value for value, _ in offered(kari, "nb")]
    refused = post(kari, "/pathways/new", {"name": "Per Ny", "birth_date": "2012-03-04", "title": "Angst",
                                           "template": "anxiety"})
    assert refused.status_code == 200
    assert page(refused).by_id("template-error").text() == translated(app, "Not a valid choice.")
    with app.app_context():
        kept = db.session.get(Pathway, kept_id)
        assert (kept.template_id, kept.step_id) == (anxiety_id, kept_step)
    assert [row.find_all("td")[2].text() for row in page(admin.get("/admin/templates")).find("tbody").find_all("tr")
            ][0] == translated(app, "No")

    assert post(admin, f"/admin/templates/{anxiety_id}/active").status_code == 303
    assert "anxiety" in [value for value, _ in offered(kari, "nb")]


@pytest.mark.parametrize("who", ["kari", "ola", "mother_a"])
def test_only_the_admin_edits_templates(app, client, cast, who):
    template = anxiety(app)
    sign_in(client, getattr(cast, who))
    assert client.get("/admin/templates").status_code == 403
    assert client.get(f"/admin/templates/{template.id}").status_code == 403
    assert post(client, f"/admin/templates/{template.id}", edit_data(template, name_nb="Noe annet")).status_code == 403
    assert post(client, f"/admin/templates/{template.id}/active").status_code == 403
    assert post(client, f"/admin/templates/{template.id}/steps",
                {"new_step_nn": "X", "new_step_nb": "X"}).status_code == 403
    with app.app_context():
        stored = db.session.get(PathwayTemplate, template.id)
        assert (stored.name_nb, stored.active, len(stored.steps)) == ("Angst", True, len(template.steps))


def test_anonymous_is_sent_to_log_in(app, client):
    response = client.get("/admin/templates")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_an_unknown_template_is_not_found(app, admin):
    assert admin.get("/admin/templates/999999").status_code == 404


def test_the_template_page_runs_the_same_queries_whatever_its_size(app, admin):
    """No per-step or per-guidance loading: a template with 40 more steps costs no more queries."""
    template = anxiety(app)
    with counting_queries(app) as few:
        assert admin.get(f"/admin/templates/{template.id}").status_code == 200
    with app.app_context():
        for position in range(len(template.steps) + 1, len(template.steps) + 41):
            step = TemplateStep(template_id=template.id, position=position, name_nn=f"Steg {position}",
                                name_nb=f"Steg {position}")
            step.guidance = [StepGuidance(service_kind=kind, text_nn="Tekst", text_nb="Tekst") for kind in ServiceKind]
            db.session.add(step)
        db.session.commit()
    with counting_queries(app) as many:
        response = admin.get(f"/admin/templates/{template.id}")
        assert response.status_code == 200
    assert len(many) == len(few)
    assert len(page(response).find_all("fieldset", class_="template-part")) == len(template.steps) + 41


def test_the_tests_put_the_templates_back_as_the_migration_made_them(app):
    """tests/conftest.py keeps the template rows between tests and undoes what a test changed, ids included."""
    before = load_templates(app)
    with app.app_context():
        db.session.get(PathwayTemplate, before[0].id).name_nb = "Endra"
        db.session.delete(db.session.get(TemplateStep, before[1].steps[0].id))
        db.session.add(TemplateStep(template_id=before[2].id, position=99, name_nn="Ny", name_nb="Ny"))
        db.session.commit()
        db.session.remove()
        with db.engine.begin() as conn:
            _restore_template_rows(conn)
    after = load_templates(app)
    assert [(t.id, t.name_nb, [(s.id, s.name_nb, [(g.id, g.text_nb) for g in s.guidance]) for s in t.steps])
            for t in after] == [
        (t.id, t.name_nb, [(s.id, s.name_nb, [(g.id, g.text_nb) for g in s.guidance]) for s in t.steps])
        for t in before]
