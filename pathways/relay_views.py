"""The professional's views for the relay log: goals, measures, evaluations and meeting minutes."""
from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from access.log import log_reads
from access.policy import of_pathway_or_404, on_team
from core.models import today_in_oslo
from core.render import redirect_to, render
from pathways import bp, meeting_services, relay_services
from pathways.models import MEETING_KINDS, Measure, Meeting
from pathways.relay_forms import EvaluationForm, GoalForm, MeasureForm, MinutesForm


def _back(pathway) -> str:
    return url_for("pathways.show", pathway_id=pathway.id, _anchor="relay-log")


@bp.route("/<int:pathway_id>/goals/new", methods=["GET", "POST"])
@on_team()
def new_goal(pathway):
    """Write a goal with the young person, linked to what they said that it answers."""
    form = GoalForm()
    statements = relay_services.statements_to_link(pathway)
    form.statements.choices = [SelectChoice(s.id, s.text) for s in statements]
    if form.validate_on_submit():
        relay_services.add_goal(pathway, current_user, form.text.data, form.statements.data or [],
                                form.not_for_parents.data)
        flash(_("The goal is added to the relay log."), "success")
        return redirect_to(_back(pathway))
    response = render("pathways/relay_goal.html", pathway=pathway, form=form, statements=statements,
                      status=400 if form.errors else 200)
    log_reads(current_user, pathway, [s.read_entry() for s in statements])
    return response


@bp.route("/<int:pathway_id>/measures/new", methods=["GET", "POST"])
@on_team()
def new_measure(pathway):
    """Add a measure to a goal: what, one responsible person on the team, and a deadline."""
    team = relay_services.team_names(pathway)
    goals = relay_services.goal_choices(pathway)
    form = MeasureForm(team_names=team)
    form.goal.choices = [SelectChoice(goal_id, text) for goal_id, text in goals]
    form.responsible.choices = [SelectChoice(user_id, name) for user_id, name in team.items()]
    if request.method == "GET":
        form.responsible.data = current_user.id
        if len(goals) == 1 or request.args.get("goal", type=int) in {g for g, _t in goals}:
            form.goal.data = request.args.get("goal", type=int) or goals[0][0]
    if goals and form.validate_on_submit():
        relay_services.add_measure(pathway, current_user, form.goal.data, form.what.data, form.responsible.data,
                                   form.deadline.data)
        flash(_("The measure is added. %(name)s is responsible for it.", name=team[form.responsible.data]), "success")
        return redirect_to(_back(pathway))
    status = 200 if request.method == "GET" else 409 if not goals else 400
    return render("pathways/relay_measure.html", pathway=pathway, form=form, has_goals=bool(goals), status=status)


@bp.route("/<int:pathway_id>/measures/<int:measure_id>/evaluate", methods=["GET", "POST"])
@on_team()
def evaluate_measure(pathway, measure_id: int):
    """Evaluate a measure: the date, what worked and what next."""
    measure = of_pathway_or_404(Measure, pathway, measure_id)
    form = EvaluationForm()
    if request.method == "GET":
        form.evaluated_on.data = today_in_oslo()
    if form.validate_on_submit():
        relay_services.evaluate_measure(pathway, measure, current_user, form.evaluated_on.data, form.worked.data,
                                        form.next_step.data)
        flash(_("The evaluation is saved."), "success")
        return redirect_to(_back(pathway))
    return render("pathways/relay_evaluate.html", pathway=pathway, measure=measure, form=form,
                  status=400 if form.errors else 200)


@bp.route("/<int:pathway_id>/meetings/<int:meeting_id>/minutes", methods=["GET", "POST"])
@on_team()
def minutes(pathway, meeting_id: int):
    """Write or change a meeting's minutes; they belong to the relay log with the agreements."""
    meeting = of_pathway_or_404(Meeting, pathway, meeting_id)
    stored = relay_services.meeting_minutes(meeting)
    form = MinutesForm(data={"text": stored.text} if stored else None)
    if form.validate_on_submit():
        relay_services.write_minutes(pathway, meeting, current_user, form.text.data)
        flash(_("The minutes are saved."), "success")
        return redirect_to(_back(pathway))
    return render("pathways/relay_minutes.html", pathway=pathway, meeting=meeting, stored=stored, form=form,
                  kind_label=MEETING_KINDS[meeting.kind],
                  agreements=meeting_services.agreements_for_meeting(meeting.id),
                  status=400 if form.errors else 200)
