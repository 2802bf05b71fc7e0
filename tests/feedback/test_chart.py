"""The trend chart builder (feedback/chart.py): points where the values are, inside the drawing,
lines told apart without colour, a legend, and a text alternative."""
import xml.etree.ElementTree as ET

import pytest

from feedback import chart
from feedback.chart import Series, line_chart

SVG = "{http://www.w3.org/2000/svg}"


def parsed(result) -> ET.Element:
    return ET.fromstring(str(result.svg))


def five_items(values_per_item):
    return [Series(f"Spørsmål {n}", values) for n, values in enumerate(values_per_item)]


def test_one_point_per_answered_meeting_inside_the_view_box():
    series = five_items([[1, 3, 5], [2, None, 4], [5, 5, 5], [3, 2, 1], [4, 4, None]])
    result = line_chart("c", "Tittel", "Skildring", ["01.01.26", "08.01.26", "15.01.26"], series)
    root = parsed(result)
    assert root.get("viewBox") == f"0 0 {chart.WIDTH} {chart.HEIGHT}"
    assert root.get("width") == "100%"
    assert len(result.points) == 15 - 2  # two meetings were not answered
    markers = root.findall(f".//{SVG}g[@class]")
    drawn = [el for g in markers if "trend-series" in g.get("class") for el in g if "marker" in (el.get("class") or "")]
    assert len(drawn) == 13
    for point in result.points:
        assert 0 < point.x < chart.WIDTH and 0 < point.y < chart.HEIGHT
        assert chart.TOP <= point.y <= chart.HEIGHT - chart.BOTTOM
    # Higher steps are drawn higher up (smaller y), later meetings further right.
    first = {(p.series, p.meeting): p for p in result.points}
    assert first[(0, 2)].y < first[(0, 1)].y < first[(0, 0)].y
    assert first[(0, 0)].x < first[(0, 1)].x < first[(0, 2)].x


def test_a_gap_breaks_the_line_and_one_meeting_gives_points_only():
    result = line_chart("c", "T", "D", ["a", "b", "c"], [Series("Gap", [2, None, 4]), Series("Heil", [1, 2, 3])])
    root = parsed(result)
    groups = [g for g in root.iter(f"{SVG}g") if "trend-series" in (g.get("class") or "")]
    assert [len(g.findall(f"{SVG}path[@class='trend-line']")) for g in groups] == [0, 1]
    single = line_chart("d", "T", "D", ["a"], five_items([[3], [4], [2], [5], [1]]))
    assert len(single.points) == 5
    assert parsed(single).findall(f".//{SVG}path[@class='trend-line']") == []
    for point in single.points:
        assert 0 < point.x < chart.WIDTH


def test_values_outside_the_steps_are_not_drawn():
    result = line_chart("c", "T", "D", ["a", "b"], [Series("X", [0, 7])])
    assert result.points == []


def test_lines_differ_in_marker_and_dash_not_only_colour():
    result = line_chart("c", "T", "D", ["a", "b"], five_items([[1, 2]] * 5))
    shapes = [entry.shape for entry in result.legend]
    dashes = [entry.dash for entry in result.legend]
    assert len(set(shapes)) == 5 and len(set(dashes)) == 5
    root = parsed(result)
    groups = [g for g in root.iter(f"{SVG}g") if "trend-series" in (g.get("class") or "")]
    assert [g.get("data-shape") for g in groups] == shapes
    dash_in_svg = [g.find(f"{SVG}path").get("stroke-dasharray") or "" for g in groups]
    assert dash_in_svg == dashes
    # The marker elements themselves differ (circle, rect, polygon, cross path).
    element_kinds = {el.tag.replace(SVG, "") + (el.get("class") or "") for g in groups for el in g
                     if "marker" in (el.get("class") or "")}
    assert len(element_kinds) == 5
    # Thirty lines never repeat the same marker and dash.
    many = line_chart("m", "T", "D", ["a"], [Series(str(n), [3]) for n in range(30)])
    assert len({(e.shape, e.dash) for e in many.legend}) == 30


def test_the_legend_names_every_line_with_its_marker():
    result = line_chart("c", "T", "D", ["a", "b"], [Series("Eg vart lytta til.", [4, 5]), Series("Alt i alt", [3, 2])])
    assert [entry.label for entry in result.legend] == ["Eg vart lytta til.", "Alt i alt"]
    for entry in result.legend:
        swatch = ET.fromstring(str(entry.swatch))
        assert swatch.get("aria-hidden") == "true"
        assert any(entry.shape in (el.get("class") or "") for el in swatch)


def test_text_alternative_and_escaping():
    result = line_chart("c1", "Korleis <møta> var", "1 er dårleg & 5 er bra", ["1.1.", "8.1."],
                        [Series("S", [1, 5])])
    root = parsed(result)  # well-formed: the text was escaped
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Korleis <møta> var"
    assert root.get("aria-describedby") == "c1-desc"
    assert root.find(f"{SVG}title").text == "Korleis <møta> var"
    assert root.find(f"{SVG}title").get("id") == "c1-title"
    assert root.find(f"{SVG}desc").text == "1 er dårleg & 5 er bra"
    texts = [el.text for el in root.iter(f"{SVG}text")]
    assert sorted(texts) == sorted(["1", "2", "3", "4", "5", "1.1.", "8.1."])


@pytest.mark.parametrize("meetings", [7, 10, 20, 100])
def test_many_meetings_write_evenly_spread_dates_and_keep_every_point(meetings):
    labels = [f"d{n}" for n in range(meetings)]
    result = line_chart("c", "T", "D", labels, [Series("S", [3] * meetings)])
    written = [el for el in parsed(result).iter(f"{SVG}text") if (el.text or "").startswith("d")]
    names = [el.text for el in written]
    # The latest meeting always has its date; the dates are evenly spaced, with room for "22.11.".
    assert 3 <= len(names) <= chart.MAX_X_LABELS and names[-1] == f"d{meetings - 1}"
    xs = [float(el.get("x")) for el in written]
    gaps = [b - a for a, b in zip(xs, xs[1:])]
    assert max(gaps) - min(gaps) < 0.5 and min(gaps) > 45
    assert len(result.points) == meetings
    assert all(0 < p.x < chart.WIDTH for p in result.points)
