"""The admin's switches for a service's notices (notices/): SMS on, and notices to young people under 13
themselves. Both are off until the admin turns them on; the form sits in each row of the admin's list."""
from flask import flash
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField

from access.policy import or_404, roles
from accounts import bp, services
from accounts.login import admin_page_posted_from
from accounts.models import Role
from core.forms import Form
from core.render import redirect_to


class ServiceNoticesForm(Form):
    """An unticked box is not posted at all: what is not sent is off."""

    sms_notices = BooleanField(_l("SMS notices on"))
    notices_under_13 = BooleanField(_l("Notices to young people under 13 themselves"))


@bp.post("/admin/services/<int:service_id>/notices")
@roles(Role.ADMIN)
def service_notices(service_id: int):
    """Turn a service's SMS notices and its notices to young people under 13 on or off."""
    service = or_404(services.service(service_id))
    form = ServiceNoticesForm()
    if form.validate_on_submit():
        services.set_service_notices(service, form.sms_notices.data, form.notices_under_13.data)
        flash(_("The notice settings of %(name)s are saved.", name=service.name), "success")
    return redirect_to(admin_page_posted_from())
