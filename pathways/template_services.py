"""Pathway templates: the choice when a pathway is created, and the admin's editing of the texts.

A template's texts exist in nynorsk and bokmål side by side (columns *_nn and *_nb); the reader's
language picks one (`core.i18n.in_locale`)."""
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from accounts.models import ServiceKind
from core.extensions import db
from pathways.models import PathwayTemplate, StepGuidance, TemplateStep


def active_templates() -> list[PathwayTemplate]:
    """The templates offered when a pathway is created, in their order (one query)."""
    return list(db.session.scalars(
        select(PathwayTemplate).where(PathwayTemplate.active.is_(True))
        .order_by(PathwayTemplate.position, PathwayTemplate.id)
    ))


def first_step(template: PathwayTemplate) -> TemplateStep | None:
    return db.session.scalar(
        select(TemplateStep).where(TemplateStep.template_id == template.id).order_by(TemplateStep.position).limit(1)
    )


@dataclass
class TemplateRow:
    """One line of the admin's list of templates."""

    id: int
    key: str
    name_nn: str
    name_nb: str
    active: bool
    steps: int


def template_rows() -> list[TemplateRow]:
    """Every template with its number of steps, in their order, in one query."""
    steps = (select(func.count(TemplateStep.id)).where(TemplateStep.template_id == PathwayTemplate.id)
             .correlate(PathwayTemplate).scalar_subquery())
    rows = db.session.execute(
        select(PathwayTemplate.id, PathwayTemplate.key, PathwayTemplate.name_nn, PathwayTemplate.name_nb,
               PathwayTemplate.active, steps).order_by(PathwayTemplate.position, PathwayTemplate.id)
    )
    return [TemplateRow(*row) for row in rows]


def template_for_editing(template_id: int) -> PathwayTemplate | None:
    """A template with its steps and their guidance loaded (three queries, whatever their number)."""
    return db.session.scalar(
        select(PathwayTemplate).where(PathwayTemplate.id == template_id)
        .options(selectinload(PathwayTemplate.steps).selectinload(TemplateStep.guidance))
    )


def update_template(template: PathwayTemplate, names: tuple[str, str], summaries: tuple[str, str],
                    step_names: dict[int, tuple[str, str]], texts: dict[int, tuple[str, str]]) -> None:
    """Store the edited names, summaries, step names and guidance texts (keyed by step and guidance id)."""
    template.name_nn, template.name_nb = (name.strip() for name in names)
    template.summary_nn, template.summary_nb = (summary.strip() for summary in summaries)
    for step in template.steps:
        if step.id in step_names:
            step.name_nn, step.name_nb = (name.strip() for name in step_names[step.id])
        for guidance in step.guidance:
            if guidance.id in texts:
                guidance.text_nn, guidance.text_nb = (text.strip() for text in texts[guidance.id])
    db.session.commit()


def add_step(template: PathwayTemplate, name_nn: str, name_nb: str) -> TemplateStep:
    """A new step after the last one."""
    last = db.session.scalar(select(func.max(TemplateStep.position)).where(TemplateStep.template_id == template.id))
    step = TemplateStep(template_id=template.id, position=(last or 0) + 1, name_nn=name_nn.strip(),
                        name_nb=name_nb.strip())
    db.session.add(step)
    db.session.commit()
    return step


def missing_kinds(step: TemplateStep) -> list[ServiceKind]:
    """The kinds of service the step says nothing for yet."""
    have = {guidance.service_kind for guidance in step.guidance}
    return [kind for kind in ServiceKind if kind not in have]


def add_guidance(step: TemplateStep, kind: ServiceKind, text_nn: str, text_nb: str) -> StepGuidance:
    """What the step means for one more kind of service."""
    guidance = StepGuidance(step_id=step.id, service_kind=kind, text_nn=text_nn.strip(), text_nb=text_nb.strip())
    db.session.add(guidance)
    db.session.commit()
    return guidance


def set_active(template: PathwayTemplate, active: bool) -> None:
    """An inactive template is no longer offered for new pathways; pathways that use it keep it."""
    template.active = active
    db.session.commit()
