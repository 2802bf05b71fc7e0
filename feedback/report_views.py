"""Feedback views for a service: its anonymous report and CSV export, how often it sends the
experience questionnaire, and its "you said, we did" (see feedback/report_services.py)."""
from datetime import date

from flask import abort, flash, make_response, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from access.policy import for_service, or_404, roles, services_for_reports
from accounts.models import Role
from core.extensions import db
from core.forms import EmptyForm
from core.render import redirect_to, render
from feedback import bp, report_chart
from feedback import report_services as reports
from feedback.report_forms import EVERY_MONTHS, NEVER, PublicationForm, ReportForm, SettingsForm


def _every_label(months: int | None) -> str:
    if months is None:
        return _("Only when someone sends it, and when a pathway closes")
    return _("Every %(months)s months", months=months)


@bp.get("/services")
@roles(Role.ADMIN, Role.PROFESSIONAL)
def services():
    """The services whose feedback the user may see, each with its report, settings and answers."""
    rows = db.session.scalars(services_for_reports(current_user)).all()
    schedules = reports.schedules([service.id for service in rows])
    return render("feedback/services.html", services=rows,
                  schedules={sid: _every_label(months) for sid, months in schedules.items()},
                  never_set=_every_label(None))


def _report_form() -> tuple[ReportForm, bool]:
    """The report's choices from the query string, with the defaults filled in; True if valid."""
    first, last = reports.default_period()
    args = request.args.to_dict()
    args.setdefault("set", reports.SET_ORDER[0])
    args.setdefault("from", first)
    args.setdefault("to", last)
    form = ReportForm(formdata=_MultiDict(args))
    form.set.choices = [SelectChoice(key, name) for key, name in reports.question_sets()]
    return form, form.validate()


class _MultiDict(dict):
    """The minimal formdata WTForms reads (`getlist`)."""

    def getlist(self, key):
        return [self[key]] if key in self else []


def _query(form: ReportForm) -> dict:
    return {"set": form.set.data, "from": reports.parse_month(form["from"].data),
            "to": reports.parse_month(form["to"].data)}


@bp.get("/services/<int:service_id>/report")
@for_service
def report(service):
    """The service's anonymous figures for one question set and period; none below five answers."""
    form, valid = _report_form()
    if not valid:
        return render("feedback/report.html", service=service, form=form, report=None, status=400)
    query = _query(form)
    result = reports.build_report(service, query["set"], query["from"], query["to"])
    return render(
        "feedback/report.html", service=service, form=form, report=result, reports=reports,
        csv_url=url_for("feedback.report_csv", service_id=service.id, **query),
        responses_chart=report_chart.responses_chart(result, _short_month) if result.shown else None,
        means_chart=report_chart.means_chart(result, _short_month) if result.trend_items else None,
        step_columns=reports.step_columns(result),
    )


def _short_month(month: str) -> str:
    """A chart's month label: "mars 2026" shortened to "mar. 2026"."""
    return format_date(date(int(month[:4]), int(month[5:7]), 1), "MMM y")


@bp.get("/services/<int:service_id>/report.csv")
@for_service
def report_csv(service):
    """The report's figures as CSV, hidden figures hidden as on the page; never a response."""
    form, valid = _report_form()
    if not valid:
        abort(400)
    query = _query(form)
    result = reports.build_report(service, query["set"], query["from"], query["to"])
    response = make_response(reports.csv_text(result).encode("utf-8"))
    response.mimetype = "text/csv"
    response.charset = "utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{reports.csv_filename(result)}"'
    return response


@bp.route("/services/<int:service_id>/settings", methods=["GET", "POST"])
@for_service
def settings(service):
    """How often the service sends the experience questionnaire."""
    form = SettingsForm()
    stored = reports.questionnaire_every(service)
    options = [None, *EVERY_MONTHS]
    if stored is not None and stored not in options:
        options.append(stored)  # set elsewhere (the demo data): keep it choosable
    form.every.choices = [SelectChoice(NEVER if months is None else str(months), _every_label(months))
                          for months in options]
    if request.method == "GET":
        form.every.data = NEVER if stored is None else str(stored)
    if form.validate_on_submit():
        reports.set_questionnaire_every(service, form.months(), current_user)
        flash(_("Saved: %(choice)s.", choice=_every_label(form.months())), "success")
        return redirect_to(url_for("feedback.settings", service_id=service.id))
    return render("feedback/settings.html", service=service, form=form, status=400 if form.errors else 200)


@bp.route("/services/<int:service_id>/published", methods=["GET", "POST"])
@for_service
def publications(service):
    """The service's "you said, we did": publish a new one, see and withdraw the earlier ones."""
    form = PublicationForm()
    if form.validate_on_submit():
        reports.publish(service, form.text.data, current_user)
        flash(_("Published. The young people and parents of %(service)s see it on their home page.",
                service=service.name), "success")
        return redirect_to(url_for("feedback.publications", service_id=service.id))
    return render("feedback/publications.html", service=service, form=form,
                  publications=reports.publications(service), status=400 if form.errors else 200)


@bp.post("/services/<int:service_id>/published/<int:publication_id>/withdraw")
@for_service
def withdraw_publication(service, publication_id: int):
    """Take a "you said, we did" off the families' home pages."""
    publication = or_404(reports.service_publication(service, publication_id))
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    if reports.withdraw(publication):
        flash(_("Withdrawn. The families no longer see it."), "success")
    else:
        flash(_("It was already withdrawn."), "info")
    return redirect_to(url_for("feedback.publications", service_id=service.id))
