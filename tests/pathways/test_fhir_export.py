"""The export to the health record (issue 20, acceptance 1): Ola's pathway as a FHIR Bundle that the
FHIR library parses back and validates, with his preparation for the care team meeting as the page
shows it, nothing the team may not read, and the export in the access log."""
import json
from datetime import timedelta

import pytest
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle
from sqlalchemy import func, select

from accounts.models import Role, User
from core.extensions import db
from feedback.models import FeedbackRequest, FeedbackResponse, ResponseSharing
from pathways.models import AccessLog, InputKind
from tests.conftest import as_user
from tests.feedback.test_team import held, rate
from tests.helpers import counting_queries, page, sign_in, translated
from tests.pathways import reading_data as data
from tests.pathways.test_query_counts import fill
from youth.models import PARTICIPATION, Preparation, Sharing, Statement

PRODUCED = {"Patient", "Practitioner", "PractitionerRole", "Organization", "RelatedPerson", "Questionnaire",
            "QuestionnaireResponse"}


def export(client, pathway_id, meeting=None):
    url = f"/pathways/{pathway_id}/fhir.json" + (f"?meeting={meeting}" if meeting else "")
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response


def resources(bundle: Bundle, kind: str) -> list:
    return [entry.resource for entry in bundle.entry if entry.resource.get_resource_type() == kind]


def by_url(bundle: Bundle) -> dict:
    return {entry.fullUrl: entry.resource for entry in bundle.entry}


@pytest.fixture()
def secrets(app, demo_meeting):
    """What the team may not read on Ola's pathway: a draft ("only me") from Ola and one from his
    mother, a removed statement, and his mother's rating counted only in the anonymous figures."""
    with app.app_context():
        mother = db.session.scalar(select(User.id).where(User.username == "mor.ola"))
    pathway, ola = demo_meeting["pathway"], demo_meeting["ola"]
    data.statement(app, pathway, ola, "UTKAST: berre for meg", sharing=Sharing.PRIVATE)
    data.statement(app, pathway, mother, "UTKAST frå mor", role=Role.PARENT, sharing=Sharing.PRIVATE)
    data.statement(app, pathway, ola, "FJERNA: ikkje lenger", removed=True)
    with app.app_context():
        # The demo asked his mother about the last meeting; she answers for the anonymous figures only.
        asked = db.session.scalar(select(FeedbackRequest).outerjoin(FeedbackResponse).where(
            FeedbackRequest.pathway_id == pathway, FeedbackRequest.user_id == mother,
            FeedbackRequest.meeting_id.is_not(None), FeedbackResponse.id.is_(None)))
        anonymous = [rate(asked, [1, 1, 1, 1, 1], sharing=ResponseSharing.ANONYMOUS, text="HEMMELEG").id]
    return demo_meeting | {"mother": mother, "anonymous": anonymous}


def test_olas_pathway_exports_as_a_bundle_the_library_parses_and_validates(app, secrets):
    response = export(as_user(app, secrets["kari"]), secrets["pathway"])
    assert response.mimetype == "application/fhir+json"
    assert response.headers["Cache-Control"] == "no-store"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="stemme-fhir-') and "Ola" not in disposition
    bundle = Bundle.model_validate_json(response.get_data(as_text=True))
    assert bundle.type == "collection"
    kinds = {entry.resource.get_resource_type() for entry in bundle.entry}
    assert kinds <= PRODUCED and {"Patient", "Practitioner", "Organization", "Questionnaire",
                                  "QuestionnaireResponse"} <= kinds
    # Every resource the app produces parses back on its own, as its own type.
    for entry in bundle.entry:
        resource = entry.resource
        again = get_fhir_model_class(resource.get_resource_type()).model_validate_json(resource.model_dump_json())
        assert again == resource
    # Every reference points to a resource in the bundle; every response to a questionnaire version in it.
    urls = by_url(bundle)
    questionnaires = {f"{q.url}|{q.version}" for q in resources(bundle, "Questionnaire")}
    for answered in resources(bundle, "QuestionnaireResponse"):
        assert answered.questionnaire in questionnaires
        assert answered.subject.reference in urls and answered.author.reference in urls
    patient, = resources(bundle, "Patient")
    assert patient.name[0].text == "Ola Nordvik" and patient.birthDate is not None
    assert patient.identifier is None and patient.address is None  # name and birth date only
    # Kari on the team, with her service; linked by a PractitionerRole.
    kari = next(p for p in resources(bundle, "Practitioner") if p.name[0].text == "Kari Nordmann")
    roles = [r for r in resources(bundle, "PractitionerRole") if urls[r.practitioner.reference] is kari]
    assert [urls[r.organization.reference].name for r in roles] == ["BUP Molde"]


def test_olas_preparation_for_the_care_team_meeting_is_a_response_with_the_pages_answers(app, secrets):
    with app.app_context():
        stored = db.session.scalar(select(Preparation).where(Preparation.meeting_id == secrets["meeting"],
                                                             Preparation.author_id == secrets["ola"]))
        fields = {name: getattr(stored, name) for name in ("talk_about", "not_while_present", "want_there",
                                                           "not_there", "needs", "questions", "hopes")}
        participation = stored.participation
    # The before-the-meeting page shows the same preparation.
    shown = as_user(app, secrets["kari"]).get(secrets["url"]).get_data(as_text=True)
    assert all(text in shown for text in fields.values() if text)
    bundle = Bundle.model_validate_json(export(as_user(app, secrets["kari"]), secrets["pathway"],
                                               secrets["meeting"]).get_data(as_text=True))
    urls = by_url(bundle)
    patient, = resources(bundle, "Patient")
    olas = [r for r in resources(bundle, "QuestionnaireResponse")
            if urls[r.author.reference] is patient and "meeting-preparation-young-person" in r.questionnaire]
    assert len(olas) == 1
    answers = {item.linkId: item.answer[0] for item in olas[0].item}
    assert {name: a.valueString for name, a in answers.items() if name != "participation"} == {
        name: text for name, text in fields.items() if text}
    assert answers["participation"].valueCoding.code == participation.value
    assert answers["participation"].valueCoding.display == translated(app, PARTICIPATION[participation])
    # The questionnaire it answers has the question in bokmål and in nynorsk.
    questionnaire = next(q for q in resources(bundle, "Questionnaire")
                         if f"{q.url}|{q.version}" == olas[0].questionnaire)
    talk_about = next(item for item in questionnaire.item if item.linkId == "talk_about")
    assert talk_about.text == translated(app, "What I want to talk about")
    translation = talk_about.text__ext.extension[0]
    assert translation.url == "http://hl7.org/fhir/StructureDefinition/translation"
    assert {e.url: (e.valueCode or e.valueString) for e in translation.extension} == {
        "lang": "nn", "content": translated(app, "What I want to talk about", locale="nn")}
    # One meeting: its preparations and ratings, no statements.
    assert not any("what-matters-to-me" in r.questionnaire for r in resources(bundle, "QuestionnaireResponse"))


def test_drafts_removed_statements_and_anonymous_ratings_are_never_exported(app, secrets):
    body = export(as_user(app, secrets["kari"]), secrets["pathway"]).get_data(as_text=True)
    assert "UTKAST" not in body and "FJERNA" not in body and "HEMMELEG" not in body
    bundle = Bundle.model_validate_json(body)
    with app.app_context():
        team_statements = db.session.scalar(select(func.count()).select_from(Statement).where(
            Statement.pathway_id == secrets["pathway"], Statement.sharing != Sharing.PRIVATE,
            Statement.removed_at.is_(None)))
        shared = db.session.scalar(select(func.count()).select_from(FeedbackResponse).join(FeedbackRequest).where(
            FeedbackRequest.pathway_id == secrets["pathway"], FeedbackResponse.sharing == ResponseSharing.TEAM))
    answered = resources(bundle, "QuestionnaireResponse")
    assert sum("what-matters-to-me" in r.questionnaire for r in answered) == team_statements > 0
    assert sum("meeting-preparation" not in r.questionnaire and "what-matters-to-me" not in r.questionnaire
               for r in answered) == shared > 0


def test_the_export_is_in_the_access_log(app, secrets):
    def logged():
        with app.app_context():
            return {(kind, item) for kind, item in db.session.execute(select(AccessLog.item_kind, AccessLog.item_id)
                                                                      .where(AccessLog.reader_id == secrets["kari"]))}

    with app.app_context():
        preparation = db.session.scalar(select(Preparation.id).where(Preparation.meeting_id == secrets["meeting"],
                                                                     Preparation.author_id == secrets["ola"]))
        shared = set(db.session.scalars(select(FeedbackResponse.id).join(FeedbackRequest).where(
            FeedbackRequest.pathway_id == secrets["pathway"], FeedbackResponse.sharing == ResponseSharing.TEAM)))
        before = db.session.scalar(select(func.count()).select_from(AccessLog))
    export(as_user(app, secrets["kari"]), secrets["pathway"])
    reads = logged()
    assert (InputKind.PREPARATION, preparation) in reads
    assert {(InputKind.FEEDBACK, r) for r in shared} <= reads
    assert not {(InputKind.FEEDBACK, r) for r in secrets["anonymous"]} & reads
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AccessLog)) > before


def test_the_form_offers_everything_or_one_meeting_and_links_to_the_download(app, secrets):
    client = as_user(app, secrets["kari"])
    pathway_page = page(client.get(f"/pathways/{secrets['pathway']}"))
    link = pathway_page.find("a", href=f"/pathways/{secrets['pathway']}/fhir")
    assert link is not None and link.text() == translated(app, "Export to the health record (FHIR)")
    def reads():
        with app.app_context():
            return db.session.scalar(select(func.count()).select_from(AccessLog).where(
                AccessLog.reader_id == secrets["kari"]))

    before = reads()
    response = client.get(f"/pathways/{secrets['pathway']}/fhir")
    assert response.status_code == 200
    form = page(response).find("form", action=f"/pathways/{secrets['pathway']}/fhir.json")
    assert form.attrs["method"] == "get"
    values = [radio.attrs["value"] for radio in form.find_all("input", type="radio")]
    assert values[0] == "all" and str(secrets["meeting"]) in values
    # The form page shows no family words: opening it logs nothing.
    assert reads() == before


def test_a_meeting_of_another_pathway_or_a_bad_choice_answers_404(app, secrets):
    client = as_user(app, secrets["kari"])
    with app.app_context():
        from pathways.models import Meeting

        other = db.session.scalar(select(Meeting.id).where(Meeting.pathway_id != secrets["pathway"]).limit(1))
    assert other is not None
    for choice in (other, "abc", 10**9):
        assert client.get(f"/pathways/{secrets['pathway']}/fhir.json?meeting={choice}").status_code == 404


def test_the_export_costs_the_same_queries_for_a_small_and_a_bigger_pathway(app, cast, capsys):
    def measure() -> int:
        client = app.test_client()
        sign_in(client, cast.kari)
        with counting_queries(app) as statements:
            body = export(client, cast.pathway_a).get_data(as_text=True)
        Bundle.model_validate_json(body)
        return len(statements)

    fill(app, cast, cast.pathway_a, cast.ola, cast.kari, statements=2, meetings=1, readers=0)
    with app.app_context():
        rate(held(cast, days_ago=3)[cast.ola], [4, 4, 4, 4, 4])
    small = measure()
    fill(app, cast, cast.pathway_a, cast.ola, cast.kari, statements=60, meetings=5, readers=3)
    with app.app_context():
        for days in (5, 9, 12):
            asked = held(cast, days_ago=days)
            rate(asked[cast.ola], [3, 4, 2, 4, 5], text="Betre no")
            rate(asked[cast.mother_a], [5, 5, 4, 4, 5])
    big = measure()
    with capsys.disabled():
        print(f"\nqueries: FHIR export {small} (small pathway) / {big} (bigger pathway)")
    assert small == big
