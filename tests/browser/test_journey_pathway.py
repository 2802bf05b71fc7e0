"""The relay log on phones, in nynorsk: Kari creates a pathway from the anxiety template, sets BTI
level 2, invites the young person, who says what is hard; Kari adds Per to the team, a goal linked to
that statement and a measure with Per responsible; Per sees it on his worklist and evaluates it;
Kari hands the baton to Per, who accepts; the young person sees the goal, the measure and his new
coordinator. Every page passes axe-core and fits the screen; no request leaves the app."""
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from core.models import today_in_oslo
from tests.browser.conftest import check_accessibility, fits_the_screen, log_in
from tests.helpers import translated

SAID = "Eg får vondt i magen før skulen kvar morgon"
GOAL = "Tore kjem seg på skulen utan vondt i magen"
MEASURE = "Samtalar med helsesjukepleiaren kvar veke"


def submit(page, action):
    page.locator(f"form[action='{action}'] button[type=submit]").first.click()


def option_value(page, select, text):
    return page.locator(f"{select} option", has_text=text).get_attribute("value")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_pathway_journey(app, demo, new_context, javascript):
    def checked(page):
        """Each page on the way: axe-core finds nothing and it fits the phone."""
        check_accessibility(page, javascript)
        if javascript:
            fits_the_screen(page)

    kari = new_context(javascript).new_page()
    log_in(kari, "kari@bup.demo")
    kari.goto("/pathways/new")
    kari.fill("#name", "Tore Tangen")
    kari.fill("#birth_date", "2011-09-14")
    kari.fill("#title", "Magevondt og skule")
    kari.check("input[name=template][value=anxiety]")
    checked(kari)
    submit(kari, "/pathways/new")
    expect(kari.locator("h1")).to_have_text("Tore Tangen")
    pathway = re.search(r"/pathways/(\d+)", kari.url).group()
    checked(kari)

    kari.check("input[name=level][value='2']")
    submit(kari, f"{pathway}/level")
    expect(kari.locator("input[name=level][value='2']")).to_be_checked()

    # The young person's account, and what is hard for him.
    kari.goto(f"{pathway}/invitations/new?role=young_person")
    submit(kari, f"{pathway}/invitations/new")
    code = kari.locator("#invitation-code").inner_text().strip()
    tore = new_context(javascript).new_page()
    tore.goto("/invitation")
    tore.fill("#code", code)
    submit(tore, "/invitation")
    tore.fill("#username", "tore")
    tore.fill("#password", "raud sykkel i snøen")
    tore.fill("#confirm", "raud sykkel i snøen")
    submit(tore, "/invitation/account")
    expect(tore).to_have_url(re.compile(r"/me$"))
    pathway_id = pathway.rsplit("/", 1)[1]
    tore.goto(f"/my/pathways/{pathway_id}/statements/new")
    tore.check("input[name=prompt][value=hard]")
    tore.fill("#text", SAID)
    tore.check("input[name=sharing][value=team]")
    tore.locator("form.statement-form button[type=submit]").click()
    expect(tore).to_have_url(re.compile(r"/my/statements$"))

    # Per joins the team; a goal answers what Tore said, and a measure is Per's.
    kari.goto(f"{pathway}/team?q=Per")
    kari.locator(f"form[method=post][action='{pathway}/team'] button[type=submit]").first.click()
    expect(kari.locator(".team-list").first).to_contain_text("Per Hansen")
    kari.goto(pathway)
    kari.click(f"a[href='{pathway}/goals/new']")
    checked(kari)
    kari.fill("#text", GOAL)
    kari.locator("label", has_text=SAID).click()
    submit(kari, f"{pathway}/goals/new")
    expect(kari.locator("main")).to_contain_text(GOAL)
    kari.click(f"a[href='{pathway}/measures/new']")
    checked(kari)
    kari.fill("#what", MEASURE)
    kari.select_option("#goal", label=GOAL)
    kari.select_option("#responsible", option_value(kari, "#responsible", "Per Hansen"))
    kari.fill("#deadline", (today_in_oslo() + timedelta(days=14)).isoformat())
    submit(kari, f"{pathway}/measures/new")
    expect(kari.locator("main")).to_contain_text(MEASURE)
    checked(kari)

    # Per finds it on his worklist and evaluates it.
    per = new_context(javascript).new_page()
    log_in(per, "per@helse.demo")
    expect(per.locator("section.my-measures")).to_contain_text(MEASURE)
    checked(per)
    per.locator("section.my-measures li", has_text=MEASURE).locator("a").click()
    checked(per)
    per.fill("#worked", "Tore har vore på skulen fire av fem dagar")
    per.fill("#next_step", "Halde fram to veker til")
    per.locator("form[method=post] button[type=submit]").last.click()
    expect(per.locator("main")).to_contain_text("Tore har vore på skulen fire av fem dagar")

    # The baton: Kari asks Per, Per says yes.
    kari.goto(pathway)
    kari.select_option("#to_id", option_value(kari, "#to_id", "Per Hansen"))
    submit(kari, f"{pathway}/handover")
    expect(kari.locator("main")).to_contain_text(
        translated(app, "Withdraw the handover", "nn"))
    per.goto(pathway)
    checked(per)
    per.locator("form[action$='/accept'] button[type=submit]").click()
    expect(per.locator("main")).to_contain_text(translated(app, "%(name)s is the coordinator.", "nn", name="Per Hansen"))

    # Tore, on his phone: what they are doing about it, and who holds the baton now.
    tore.goto("/my/doing")
    main = tore.locator("main")
    expect(main).to_contain_text(GOAL)
    expect(main).to_contain_text(MEASURE)
    checked(tore)
    tore.goto("/me")
    expect(main).to_contain_text(translated(app, "Your coordinator is %(name)s.", "nn", name="Per Hansen, Helsestasjon for ungdom Averøy"))
    checked(tore)
