"""The admin's pages for the pathway templates: the list, and one template's texts, steps and guidance."""
from flask import flash, request, url_for
from flask_babel import gettext as _

from access.policy import or_404, roles
from accounts import bp
from accounts.models import Role, ServiceKind
from accounts.template_forms import GuidanceForm, StepForm, guidance_field, step_field, template_form
from core.forms import EmptyForm
from core.i18n import in_locale
from core.render import redirect_to, render
from pathways import template_services


@bp.get("/admin/templates")
@roles(Role.ADMIN)
def templates():
    """The care pathway templates, in the order they are offered, with their number of steps."""
    return render("admin/templates.html", rows=template_services.template_rows())


def _template_or_404(template_id: int):
    template = or_404(template_services.template_for_editing(template_id))
    return template


def _template_page(template, edit_form=None, step_form=None, guidance_form=None, status=200):
    """One template's page; the form that was posted comes back with its errors and what was typed."""
    return render(
        "admin/template.html", pathway_template=template, status=status,
        form=edit_form if edit_form is not None else template_form(template),
        step_form=step_form if step_form is not None else StepForm(formdata=None),
        guidance_form=guidance_form if guidance_form is not None else GuidanceForm(template, formdata=None),
        toggle=EmptyForm(formdata=None), step_field=step_field, guidance_field=guidance_field,
        name=in_locale(template.name_nn, template.name_nb),
    )


@bp.route("/admin/templates/<int:template_id>", methods=["GET", "POST"])
@roles(Role.ADMIN)
def template(template_id: int):
    """Edit one template: its names and summary, each step's names and each guidance text, nn and nb."""
    found = _template_or_404(template_id)
    if request.method == "GET":
        return _template_page(found)
    form = template_form(found, formdata=request.form)
    if not form.validate():
        return _template_page(found, edit_form=form, status=400)
    template_services.update_template(
        found, (form.name_nn.data, form.name_nb.data), (form.summary_nn.data or "", form.summary_nb.data or ""),
        {step.id: (form[step_field(step.id, "nn")].data, form[step_field(step.id, "nb")].data)
         for step in found.steps},
        {guidance.id: (form[guidance_field(guidance.id, "nn")].data, form[guidance_field(guidance.id, "nb")].data)
         for step in found.steps for guidance in step.guidance},
    )
    flash(_("The template is saved."), "success")
    return redirect_to(url_for("accounts.template", template_id=found.id))


@bp.post("/admin/templates/<int:template_id>/steps")
@roles(Role.ADMIN)
def add_template_step(template_id: int):
    """Add a step at the end of a template."""
    found = _template_or_404(template_id)
    form = StepForm()
    if not form.validate_on_submit():
        return _template_page(found, step_form=form, status=400)
    step = template_services.add_step(found, form.new_step_nn.data, form.new_step_nb.data)
    flash(_("Step %(number)d is added.", number=step.position), "success")
    return redirect_to(url_for("accounts.template", template_id=found.id, _anchor=f"step-{step.id}"))


@bp.post("/admin/templates/<int:template_id>/guidance")
@roles(Role.ADMIN)
def add_template_guidance(template_id: int):
    """Add what a step means for one more kind of service."""
    found = _template_or_404(template_id)
    form = GuidanceForm(found)
    if form.validate_on_submit():
        step, kind = form.chosen_step(), ServiceKind(form.kind.data)
        if kind in template_services.missing_kinds(step):
            template_services.add_guidance(step, kind, form.guidance_nn.data, form.guidance_nb.data)
            flash(_("The guidance is added."), "success")
            return redirect_to(url_for("accounts.template", template_id=found.id, _anchor=f"step-{step.id}"))
        form.kind.errors.append(_("This step already says what it means for this kind of service. "
                                  "Change that text above."))
    return _template_page(found, guidance_form=form, status=400)


@bp.post("/admin/templates/<int:template_id>/active")
@roles(Role.ADMIN)
def toggle_template(template_id: int):
    """Stop offering a template for new pathways, or offer it again; pathways that use it keep it."""
    found = _template_or_404(template_id)
    if EmptyForm().validate_on_submit():
        template_services.set_active(found, not found.active)
        name = in_locale(found.name_nn, found.name_nb)
        flash(_("%(name)s is offered for new pathways again.", name=name) if found.active
              else _("%(name)s is no longer offered for new pathways.", name=name), "success")
    return redirect_to(url_for("accounts.template", template_id=found.id))
