"""Access table rows for steps, BTI level, handing over the baton, the coordinator wish and closing."""
from tests.access_rules import ADMIN, ANON, FAMILY, LOGIN, MEMBER, OTHER, PA, PB, PRO, PROS, YA, YB, expect, only, team_only  # noqa: F401


def template_on_a(c) -> None:
    """A care pathway template with three steps; pathway A follows it and is at the first step.
    (The default templates come with a migration, but each test starts from empty tables.)"""
    from accounts.models import ServiceKind
    from core.extensions import db
    from pathways.models import Pathway, PathwayTemplate, StepGuidance, TemplateStep

    with c.app.app_context():
        template = PathwayTemplate(key="test-angst", position=1, name_nn="Angst (test)", name_nb="Angst (test)")
        for n, (nn, nb) in enumerate([("Kartlegging", "Kartlegging"), ("Tiltak i kommunen", "Tiltak i kommunen"),
                                      ("Evaluering", "Evaluering")]):
            step = TemplateStep(position=n, name_nn=nn, name_nb=nb)
            step.guidance = [StepGuidance(service_kind=ServiceKind.BUP, text_nn=f"BUP gjer {nn} (nn)",
                                          text_nb=f"BUP gjør {nb} (nb)"),
                             StepGuidance(service_kind=ServiceKind.GP, text_nn=f"Fastlegen {nn}",
                                          text_nb=f"Fastlegen {nb}")]
            template.steps.append(step)
        db.session.add(template)
        db.session.flush()
        pathway = db.session.get(Pathway, c.pathway_a)
        pathway.template_id, pathway.step_id = template.id, template.steps[0].id
        db.session.commit()


def handover_to_per(c) -> int:
    """Kari (coordinator of pathway A) has asked Per to take over."""
    from core.extensions import db
    from core.models import utcnow
    from pathways.models import Handover, HandoverState

    with c.app.app_context():
        handover = Handover(pathway_id=c.pathway_a, from_id=c.kari, to_id=c.per, state=HandoverState.PROPOSED,
                            proposed_at=utcnow())
        db.session.add(handover)
        db.session.commit()
        return handover.id


def _step_kwargs(c):
    template_on_a(c)
    return {"pathway_id": c.pathway_a}


def _handover_kwargs(c):
    return {"pathway_id": c.pathway_a, "handover_id": handover_to_per(c)}


A = lambda c: {"pathway_id": c.pathway_a}  # noqa: E731
COORDINATOR_ONLY = team_only(303, member=403)
# Only the person asked (Per) answers; the rest of the team 403, anyone else as usual.
ASKED_ONLY = {**team_only(303), PRO: 403}
YOUNG_PERSON_A = {**only({YA}, 200), YB: 404}

# (endpoint, method) -> (url kwargs builder, form data builder, {role: expected status})
ROWS: dict = {
    ("pathways.next_step", "POST"): (_step_kwargs, None, COORDINATOR_ONLY),
    ("pathways.set_level", "POST"): (A, lambda c: {"level": "2"}, COORDINATOR_ONLY),
    ("pathways.propose_handover", "POST"): (A, lambda c: {"to_id": str(c.per)}, COORDINATOR_ONLY),
    ("pathways.accept_handover", "POST"): (_handover_kwargs, None, ASKED_ONLY),
    ("pathways.decline_handover", "POST"): (_handover_kwargs, lambda c: {"reason": "Eg har for mange saker no."},
                                            ASKED_ONLY),
    ("pathways.withdraw_handover", "POST"): (_handover_kwargs, None, COORDINATOR_ONLY),
    ("pathways.close", "GET"): (A, None, team_only(200, member=403)),
    ("pathways.close", "POST"): (A, lambda c: {"summary": "Ola har det betre og treng ikkje meir hjelp."},
                                 COORDINATOR_ONLY),
    ("youth.coordinator_wish", "GET"): (A, None, YOUNG_PERSON_A),
    ("youth.coordinator_wish", "POST"): (A, lambda c: {"wished": str(c.per), "note": "Per er grei."},
                                         {**YOUNG_PERSON_A, YA: 303}),
}
