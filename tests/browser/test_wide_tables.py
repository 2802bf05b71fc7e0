"""No table wider than its column (issue 18, acceptance 3): on Kari's worklist, Ola's pathway page and
the page before Ola's care team meeting, at 1024 px and at 1280 px, every table fits inside the box
around it and the page never scrolls sideways, so nobody's words hide behind a horizontal scroll.
Measured in the browser; each page also passes axe-core."""
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, log_in
from tests.browser.test_pages import demo_ids

DESKTOP = {"device_scale_factor": 1, "is_mobile": False, "has_touch": False}

# For each table: how much wider it is than its parent's inner width, and the page's own overflow.
MEASURE = """() => ({
  tables: Array.from(document.querySelectorAll('main table')).map((table) => ({
    id: table.id || (table.caption ? table.caption.textContent.trim() : table.className),
    over: table.scrollWidth - table.parentElement.clientWidth,
    rows: table.rows.length,
  })),
  page: document.documentElement.scrollWidth - window.innerWidth,
})"""


def pages(ids):
    ola = ids["ola"]
    return {
        "worklist": "/pathways/",
        "pathway": f"/pathways/{ola}",
        "before the meeting": f"/pathways/{ola}/meetings/{ids['meeting']}",
    }


@pytest.mark.parametrize("width", [1024, 1280])
def test_no_table_is_wider_than_its_column(app, demo, new_context, width):
    ids = demo_ids(app)
    page = new_context(viewport={"width": width, "height": 900}, **DESKTOP).new_page()
    log_in(page, "kari@bup.demo")
    seen_tables = 0
    for name, path in pages(ids).items():
        page.goto(path)
        expect(page.locator("h1")).to_be_visible()
        found = page.evaluate(MEASURE)
        too_wide = [table for table in found["tables"] if table["over"] > 0]
        assert not too_wide, f"{name} at {width} px: tables wider than their column: {too_wide}"
        assert found["page"] <= 0, f"{name} at {width} px scrolls sideways by {found['page']} px"
        seen_tables += len(found["tables"])
        check_accessibility(page)
    # The demo's ratings make at least one table on the pathway page: the test measures something.
    assert seen_tables >= 1


def test_the_rating_table_shows_every_word_without_scrolling(app, demo, new_context):
    """At 1024 px the rating table's own words (the last column) are on screen, not behind a scroll:
    each cell's right edge is inside the table's box."""
    ids = demo_ids(app)
    page = new_context(viewport={"width": 1024, "height": 900}, **DESKTOP).new_page()
    log_in(page, "kari@bup.demo")
    page.goto(f"/pathways/{ids['ola']}")
    answers = page.locator(".trend-table td.answer")
    expect(answers.first).to_be_visible()
    outside = page.evaluate("""() => Array.from(document.querySelectorAll('.trend-table td.answer')).filter((cell) => {
      const box = cell.getBoundingClientRect();
      const wrap = cell.closest('.table-wrap').getBoundingClientRect();
      return box.right > wrap.right + 0.5 || box.left < wrap.left - 0.5;
    }).length""")
    assert outside == 0


def test_the_pathway_page_has_a_table_of_contents(app, demo, new_context):
    """The professional jumps to a section: every link in "On this page" leads to a heading there."""
    ids = demo_ids(app)
    page = new_context(viewport={"width": 1280, "height": 900}, **DESKTOP).new_page()
    log_in(page, "kari@bup.demo")
    page.goto(f"/pathways/{ids['ola']}")
    links = page.locator("nav.page-toc a")
    expect(links).to_have_count(8)  # Ola's pathway has a template, so its steps are listed too
    missing = page.evaluate("""() => Array.from(document.querySelectorAll('nav.page-toc a'))
      .map((link) => link.getAttribute('href'))
      .filter((href) => !href.startsWith('#') || !document.getElementById(href.slice(1))
              || !/^H[23]$/.test(document.getElementById(href.slice(1)).tagName))""")
    assert missing == []
    page.click("nav.page-toc a[href='#minutes-heading']")
    expect(page.locator("#minutes-heading")).to_be_in_viewport()
