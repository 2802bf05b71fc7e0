"""Access table rows for the export to the health record (FHIR): the form and the Bundle."""
from tests.access_rules import team_only


def _pathway(c):
    return {"pathway_id": c.pathway_a}


# (endpoint, method) -> (url kwargs builder, form data builder, {role: expected status})
ROWS: dict = {
    ("pathways.fhir_form", "GET"): (_pathway, None, team_only(200)),
    ("pathways.fhir_bundle", "GET"): (_pathway, None, team_only(200)),
}
