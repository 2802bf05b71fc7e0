"""The professional's export of a pathway to the health record as HL7 FHIR: a form to choose what
(everything the team may read, or one meeting's preparations and ratings) and the Bundle itself."""
from flask import Response, abort, current_app, request
from flask_login import current_user

from access.log import log_reads
from access.policy import of_pathway_or_404, on_team
from core.models import OSLO, utcnow
from core.render import render
from pathways import bp, fhir_export
from pathways.models import Meeting

ALL = "all"


@bp.get("/<int:pathway_id>/fhir")
@on_team()
def fhir_form(pathway):
    """Choose what to export to the health record: all the pathway's shared input, or one meeting's."""
    return render("pathways/fhir_export.html", pathway=pathway, meetings=fhir_export.meetings(pathway),
                  everything=ALL)


@bp.get("/<int:pathway_id>/fhir.json")
@on_team()
def fhir_bundle(pathway):
    """The chosen input as a FHIR Bundle to download (`?meeting=<id>`: one meeting's; none or `all`:
    everything the team may read); making it is logged like a read of all it holds."""
    chosen = request.args.get("meeting", ALL)
    meeting = None
    if chosen != ALL:
        if not chosen.isdigit():
            abort(404)
        meeting = of_pathway_or_404(Meeting, pathway, int(chosen))
    # Canonical URLs name the questionnaires the same way whatever address the page was opened at.
    base = current_app.config["PUBLIC_URL"].rstrip("/") + "/"
    export = fhir_export.pathway_bundle(current_user, pathway, base, meeting)
    response = Response(export.json(), mimetype=fhir_export.MEDIA_TYPE)
    # No name in the file name: it lands in a Downloads folder that others may see.
    day = utcnow().astimezone(OSLO).date().isoformat()
    response.headers["Content-Disposition"] = f'attachment; filename="stemme-fhir-{day}.json"'
    response.headers["Cache-Control"] = "no-store"
    log_reads(current_user, pathway, export.reads)
    return response
