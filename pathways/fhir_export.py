"""A pathway's shared input as HL7 FHIR, for the health record (EPJ): a `Bundle` (type "collection")
that a professional on the team downloads from the pathway page.

In it: the young person as `Patient` (name and birth date only: Stemme stores no national identity
number), the team as `Practitioner`s with their services as `Organization`s (linked by a
`PractitionerRole`), a parent who wrote something as `RelatedPerson`; every question set version
answered as a `Questionnaire` (texts in bokmål, nynorsk in the translation extension), and the
meeting preparations (one questionnaire for the young person's questions, one for a parent's) and
the "what matters to me" prompts as questionnaires too; each feedback response, meeting
preparation and statement as a `QuestionnaireResponse` that names its questionnaire version
(`url|version`).

Only what the team may read leaves Stemme: the statements and preparations come from the same
queries as the pathway page and the before-the-meeting page (`pathways.reading`: no drafts, nothing
removed), the feedback only where the person shared it with the team (as `feedback.team_services`
reads it). The export returns what it holds (`reads`) for the access log, like a page.

Why FHIR R4B: the Norwegian base profiles build on R4. The kept library, fhir.resources 8.x, ships
R5 (its default), R4B (`fhir.resources.R4B`) and STU3, and no R4 module; R4B changed nothing in
the resources used here (Bundle, Patient, Practitioner, PractitionerRole, Organization,
RelatedPerson, Questionnaire, QuestionnaireResponse), so what it builds is valid R4.
"""
import uuid
from dataclasses import dataclass, field

from fhir.resources.R4B.bundle import Bundle, BundleEntry
from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.coding import Coding
from fhir.resources.R4B.extension import Extension
from fhir.resources.R4B.fhirprimitiveextension import FHIRPrimitiveExtension
from fhir.resources.R4B.humanname import HumanName
from fhir.resources.R4B.organization import Organization
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.practitioner import Practitioner
from fhir.resources.R4B.practitionerrole import PractitionerRole
from fhir.resources.R4B.questionnaire import Questionnaire, QuestionnaireItemAnswerOption, QuestionnaireItem
from fhir.resources.R4B.questionnaireresponse import (
    QuestionnaireResponse, QuestionnaireResponseItem, QuestionnaireResponseItemAnswer,
)
from fhir.resources.R4B.reference import Reference
from fhir.resources.R4B.relatedperson import RelatedPerson
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from accounts.models import Role, User
from core.extensions import db
from core.models import utcnow
from feedback.models import (
    FeedbackAnswer, FeedbackItem, FeedbackRequest, FeedbackResponse, FeedbackScale, QuestionSetVersion,
    ResponseSharing,
)
from pathways import reading, services
from pathways.models import InputKind, Meeting, Pathway
from youth.models import PARTICIPATION, PROMPTS

TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
PARENT_ROLE = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
MEDIA_TYPE = "application/fhir+json"
# The questions of a meeting preparation and the prompts are the app's own (in its catalogues), not
# data an admin edits: their questionnaires change version only with a release that changes them.
OWN_VERSION = "1"
PREPARATION_KEYS = {Role.YOUNG_PERSON: "meeting-preparation-young-person", Role.PARENT: "meeting-preparation-parent"}
STATEMENTS_KEY = "what-matters-to-me"
TITLES = {
    PREPARATION_KEYS[Role.YOUNG_PERSON]: _l("Preparation for a meeting"),
    PREPARATION_KEYS[Role.PARENT]: _l("A parent's preparation for a meeting"),
    STATEMENTS_KEY: _l("What matters to me"),
}


@dataclass
class Export:
    bundle: Bundle
    reads: list = field(default_factory=list)  # what it holds of the family's input, for the access log

    def json(self) -> str:
        return self.bundle.model_dump_json(exclude_none=True)


# --- reading: the same rules as the pages ---------------------------------------------------------

def _shared_responses(of_meeting: bool):
    """SQL: the feedback responses on the pathway (or for one meeting) that their author shared with
    the team, with the version answered and every answer, in the order of the questions."""
    query = (
        select(FeedbackResponse.id, FeedbackResponse.version_id, FeedbackResponse.updated_at, FeedbackRequest.user_id,
               User.name, User.role, FeedbackItem.key, FeedbackItem.scale_id, FeedbackAnswer.value, FeedbackAnswer.text)
        .join(FeedbackRequest, FeedbackRequest.id == FeedbackResponse.request_id)
        .join(User, User.id == FeedbackRequest.user_id)
        .join(FeedbackAnswer, FeedbackAnswer.response_id == FeedbackResponse.id)
        .join(FeedbackItem, FeedbackItem.id == FeedbackAnswer.item_id)
        .where(FeedbackRequest.pathway_id == bindparam("pathway_id"), FeedbackResponse.sharing == ResponseSharing.TEAM)
        .order_by(FeedbackResponse.submitted_at, FeedbackResponse.id, FeedbackItem.position)
    )
    return query.where(FeedbackRequest.meeting_id == bindparam("meeting_id")) if of_meeting else query


# Built once, run with the ids.
SHARED_RESPONSES = {of_meeting: _shared_responses(of_meeting) for of_meeting in (False, True)}
VERSIONS = (
    select(QuestionSetVersion).where(QuestionSetVersion.id.in_(bindparam("ids", expanding=True)))
    .options(joinedload(QuestionSetVersion.question_set),
             joinedload(QuestionSetVersion.items).joinedload(FeedbackItem.scale).joinedload(FeedbackScale.steps))
    .order_by(QuestionSetVersion.set_id, QuestionSetVersion.number)
)
MEETINGS = (select(Meeting).where(Meeting.pathway_id == bindparam("pathway_id"))
            .order_by(Meeting.starts_at.desc(), Meeting.id.desc()))


def meetings(pathway: Pathway) -> list[Meeting]:
    """The pathway's meetings, newest first: the export form offers each one."""
    return list(db.session.scalars(MEETINGS, {"pathway_id": pathway.id}))


@dataclass
class _Response:
    id: int
    version_id: int
    updated_at: object
    user_id: int
    name: str
    role: Role
    answers: list = field(default_factory=list)  # (item key, scale id, value, text)


def _responses(pathway: Pathway, meeting: Meeting | None) -> list[_Response]:
    rows = db.session.execute(SHARED_RESPONSES[meeting is not None],
                              {"pathway_id": pathway.id, "meeting_id": meeting.id if meeting else None})
    responses: dict[int, _Response] = {}
    for response_id, version_id, updated_at, user_id, name, role, key, scale_id, value, text in rows:
        response = responses.setdefault(response_id, _Response(response_id, version_id, updated_at, user_id, name,
                                                               Role(role)))
        response.answers.append((key, scale_id, value, text))
    return list(responses.values())


# --- building the resources ------------------------------------------------------------------------

def _in_both(messages: dict) -> dict:
    """The texts of the app's catalogues in `messages` (key -> lazy text) as (bokmål, nynorsk)."""
    with force_locale("nb"):
        nb = {key: str(text) for key, text in messages.items()}
    with force_locale("nn"):
        return {key: (nb[key], str(text)) for key, text in messages.items()}


def _nynorsk(text_nn: str) -> FHIRPrimitiveExtension:
    """The translation extension that carries the nynorsk text of a bokmål string."""
    return FHIRPrimitiveExtension(extension=[Extension(url=TRANSLATION, extension=[
        Extension(url="lang", valueCode="nn"), Extension(url="content", valueString=text_nn)])])


class _Builder:
    """Collects the bundle's entries, each once, under a stable `urn:uuid` (the same thing gets the
    same id in every export from this server, so a record system can tell it again)."""

    def __init__(self, base: str):
        self.base = base.rstrip("/") + "/fhir/"
        self.entries: dict[str, BundleEntry] = {}

    def uuid(self, kind: str, key) -> str:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{self.base}{kind}/{key}"))

    def ref(self, kind: str, key) -> Reference:
        return Reference(reference=f"urn:uuid:{self.uuid(kind, key)}")

    def add(self, kind: str, key, make) -> Reference:
        """Add the resource `make(id)` (called at once) unless it is there already; a reference to it."""
        resource_id = self.uuid(kind, key)
        if resource_id not in self.entries:
            self.entries[resource_id] = BundleEntry(fullUrl=f"urn:uuid:{resource_id}", resource=make(resource_id))
        return self.ref(kind, key)

    def canonical(self, key: str) -> str:
        return f"{self.base}Questionnaire/{key}"

    def code_system(self, key: str) -> str:
        return f"{self.base}CodeSystem/{key}"


def _item(link_id: str, nb: str, nn: str, kind: str, required: bool = False, options=None) -> QuestionnaireItem:
    return QuestionnaireItem(linkId=link_id, text=nb, text__ext=_nynorsk(nn), type=kind, required=required,
                             answerOption=options or None)


def _option(system: str, code: str, nb: str, nn: str) -> QuestionnaireItemAnswerOption:
    coding = Coding(system=system, code=code, display=nb, display__ext=_nynorsk(nn))
    return QuestionnaireItemAnswerOption(valueCoding=coding)


def _questionnaire(resource_id: str, url: str, version: str, nb: str, nn: str, items) -> Questionnaire:
    return Questionnaire(id=resource_id, url=url, version=version, title=nb, title__ext=_nynorsk(nn), status="active",
                         language="nb", subjectType=["Patient"], item=items)


def _version_questionnaire(builder: _Builder, version: QuestionSetVersion):
    """A question set version as a Questionnaire: a scale item is a choice with the scale's steps as
    coded options (the stored value is the code), an item without a scale a free text."""
    qs = version.question_set

    def item(fi: FeedbackItem) -> QuestionnaireItem:
        if fi.scale is None:
            return _item(fi.key, fi.text_nb, fi.text_nn, "text", fi.required)
        system = builder.code_system(fi.scale.key)
        return _item(fi.key, fi.text_nb, fi.text_nn, "choice", fi.required,
                     [_option(system, str(s.value), s.label_nb, s.label_nn) for s in fi.scale.steps])

    return lambda resource_id: _questionnaire(resource_id, builder.canonical(qs.key), str(version.number),
                                              qs.name_nb, qs.name_nn, [item(fi) for fi in version.items])


def _preparation_questionnaire(builder: _Builder, role: Role, words: dict):
    """The meeting preparation's questions as the young person (or a parent) answers them."""
    questions = words[role]
    system = builder.code_system("participation")

    def item(name: str) -> QuestionnaireItem:
        if name != "participation":
            return _item(name, *questions[name], "text")
        return _item(name, *questions[name], "choice", options=[
            _option(system, p.value, *words["participation"][p]) for p in PARTICIPATION])

    key = PREPARATION_KEYS[role]
    return lambda resource_id: _questionnaire(resource_id, builder.canonical(key), OWN_VERSION, *words["titles"][key],
                                              [item(n) for n in reading.QUESTION_ORDER if n in questions])


def _preparation_items(builder: _Builder, preparation, words: dict) -> list[QuestionnaireResponseItem]:
    """A preparation's answers in the order of its questions, as the before-the-meeting page shows
    them; a question left empty ("Not answered" on the page) has no item."""
    questions = words[preparation.author_role]
    items = []
    for name in reading.QUESTION_ORDER:
        if name not in questions:
            continue
        if name == "participation" and preparation.participation is not None:
            answer = QuestionnaireResponseItemAnswer(valueCoding=Coding(
                system=builder.code_system("participation"), code=preparation.participation.value,
                display=words["participation"][preparation.participation][0]))
        elif name != "participation" and preparation.answers.get(name):
            answer = QuestionnaireResponseItemAnswer(valueString=preparation.answers[name])
        else:
            continue
        items.append(_answered(name, questions[name][0], answer))
    return items


def _statements_questionnaire(builder: _Builder, prompts: dict, titles: dict):
    """The "what matters to me" prompts; each statement answers one of them."""
    return lambda resource_id: _questionnaire(resource_id, builder.canonical(STATEMENTS_KEY), OWN_VERSION,
                                              *titles[STATEMENTS_KEY],
                                              [_item(prompt.value, *prompts[prompt], "text") for prompt in PROMPTS])


def _author(builder: _Builder, pathway: Pathway, patient: Reference, user_id: int, name: str, role: Role) -> Reference:
    """The young person (the Patient) or a parent (a RelatedPerson: their name only)."""
    if role == Role.YOUNG_PERSON and user_id == pathway.young_person.user_id:
        return patient
    relationship = CodeableConcept(coding=[Coding(system=PARENT_ROLE, code="PRN", display="parent")])
    return builder.add("RelatedPerson", user_id, lambda rid: RelatedPerson(
        id=rid, patient=patient, relationship=[relationship], name=[HumanName(text=name)]))


def _response(resource_id: str, questionnaire: str, subject: Reference, author: Reference, at, items):
    return QuestionnaireResponse(id=resource_id, questionnaire=questionnaire, status="completed", subject=subject,
                                 author=author, authored=at, item=items)


def _answered(link_id: str, text: str, *answers: QuestionnaireResponseItemAnswer) -> QuestionnaireResponseItem:
    return QuestionnaireResponseItem(linkId=link_id, text=text, answer=list(answers))


def _team(builder: _Builder, pathway: Pathway) -> None:
    """Every professional on the team, with each of their services."""
    for member in services.team(pathway):
        user = member.user
        practitioner = builder.add("Practitioner", user.id, lambda rid: Practitioner(
            id=rid, active=user.active, name=[HumanName(text=user.name)]))
        for service in user.services:
            organization = builder.add("Organization", service.id, lambda rid: Organization(
                id=rid, active=True, name=service.name))
            builder.add("PractitionerRole", f"{user.id}-{service.id}", lambda rid: PractitionerRole(
                id=rid, practitioner=practitioner, organization=organization))


def _add_statements(builder: _Builder, reader: User, pathway: Pathway, patient: Reference, words: dict) -> list:
    """Each statement the team may read (the pathway page's query) answers its prompt."""
    statements = reading.visible_statements(reader, pathway.id)
    questionnaire = f"{builder.canonical(STATEMENTS_KEY)}|{OWN_VERSION}"
    for s in statements:
        builder.add("Questionnaire", STATEMENTS_KEY, _statements_questionnaire(builder, words["prompts"],
                                                                               words["titles"]))
        author = _author(builder, pathway, patient, s.author_id, s.author_name, s.author_role)
        item = _answered(s.prompt.value, words["prompts"][s.prompt][0],
                         QuestionnaireResponseItemAnswer(valueString=s.text))
        builder.add("QuestionnaireResponse", f"statement-{s.id}",
                    lambda rid: _response(rid, questionnaire, patient, author, s.updated_at, [item]))
    return [s.read_entry() for s in statements]


def _add_preparations(builder: _Builder, reader: User, pathway: Pathway, meeting: Meeting | None,
                      patient: Reference, words: dict) -> list:
    """Each preparation the team may read (the before-the-meeting page's query), oldest first."""
    preparations = (reading.visible_preparations(reader, "pathway", pathway.id) if meeting is None
                    else reading.visible_preparations(reader, "meeting", meeting.id))
    for p in reversed(preparations):
        key = PREPARATION_KEYS[p.author_role]
        builder.add("Questionnaire", key, _preparation_questionnaire(builder, p.author_role, words))
        author = _author(builder, pathway, patient, p.author_id, p.author_name, p.author_role)
        items = _preparation_items(builder, p, words)
        questionnaire = f"{builder.canonical(key)}|{OWN_VERSION}"
        builder.add("QuestionnaireResponse", f"preparation-{p.id}",
                    lambda rid: _response(rid, questionnaire, patient, author, p.updated_at, items))
    return [p.read_entry() for p in preparations]


def _add_feedback(builder: _Builder, pathway: Pathway, meeting: Meeting | None, patient: Reference) -> list:
    """Each feedback response shared with the team, answering the version of the questions it answered:
    a step of a scale as its coded value with the step's words, a free text as it was written."""
    responses = _responses(pathway, meeting)
    versions = {v.id: v for v in db.session.scalars(VERSIONS, {"ids": sorted({r.version_id for r in responses})})
                .unique()}
    for r in responses:
        version = versions[r.version_id]
        builder.add("Questionnaire", f"{version.question_set.key}|{version.number}",
                    _version_questionnaire(builder, version))
        items = {fi.key: fi for fi in version.items}
        labels = {(step.scale_id, step.value): step.label_nb
                  for fi in version.items if fi.scale for step in fi.scale.steps}
        answers = []
        for key, scale_id, value, text in r.answers:
            if text is not None:
                answer = QuestionnaireResponseItemAnswer(valueString=text)
            else:
                answer = QuestionnaireResponseItemAnswer(valueCoding=Coding(
                    system=builder.code_system(items[key].scale.key), code=str(value),
                    display=labels.get((scale_id, value))))
            answers.append(_answered(key, items[key].text_nb, answer))
        author = _author(builder, pathway, patient, r.user_id, r.name, r.role)
        questionnaire = f"{builder.canonical(version.question_set.key)}|{version.number}"
        builder.add("QuestionnaireResponse", f"feedback-{r.id}",
                    lambda rid: _response(rid, questionnaire, patient, author, r.updated_at, answers))
    return [(InputKind.FEEDBACK, r.id, r.user_id) for r in responses]


def pathway_bundle(reader: User, pathway: Pathway, base: str, meeting: Meeting | None = None) -> Export:
    """What the team may read on `pathway` as a FHIR Bundle: every statement, preparation and shared
    feedback response, or (with `meeting`) that meeting's preparations and ratings; with the young
    person, the team and the questionnaires answered. `base`: the server's address, for the
    canonical URLs. A fixed number of queries whatever the pathway holds."""
    builder = _Builder(base)
    young = pathway.young_person
    patient = builder.add("Patient", young.id, lambda rid: Patient(
        id=rid, name=[HumanName(text=young.name)], birthDate=young.birth_date))
    _team(builder, pathway)
    words = {role: _in_both(questions) for role, questions in reading.QUESTIONS.items()}
    words |= {"participation": _in_both(PARTICIPATION), "prompts": _in_both(PROMPTS), "titles": _in_both(TITLES)}
    reads = _add_statements(builder, reader, pathway, patient, words) if meeting is None else []
    reads += _add_preparations(builder, reader, pathway, meeting, patient, words)
    reads += _add_feedback(builder, pathway, meeting, patient)
    bundle = Bundle(type="collection", timestamp=utcnow(), entry=list(builder.entries.values()))
    return Export(bundle, reads)
