"""The trend of a person's meeting ratings as a server-rendered SVG line chart.

The chart (`line_chart`) is plain geometry: no database, no request. x is the meetings in order,
y the steps 1–5 of the faces scale, one line per item. Lines are told apart without colour: each
has its own marker shape and dash pattern, shown again in the legend. The SVG is an image with a
title and a description; the same figures follow it as a table (`templates/feedback/_trend.html`).

What the pathway pages show with it is loaded by `feedback.team_services`.
"""
from dataclasses import dataclass

from markupsafe import Markup, escape

# The drawing area, in the SVG's own units; the page scales it to its width (CSS: width 100%).
WIDTH, HEIGHT = 400, 240
LEFT, RIGHT, TOP, BOTTOM = 36, 18, 16, 32
STEPS = (1, 2, 3, 4, 5)
# Marker shapes and dash patterns: series n gets shape n % 6 and dash n % 5, so the first 30 lines
# all differ in at least one of the two, and the first 5 in both.
SHAPES = ("circle", "square", "triangle", "diamond", "cross", "triangle-down")
DASHES = ("", "8 4", "2 4", "10 4 2 4", "14 5")
MARKER_RADIUS = 5
# Markers at the same meeting and step would hide each other: each series is moved a little sideways.
SPREAD = 4
# With many meetings, at most this many dates are written, evenly spaced and counted back from the
# latest meeting (the table has all of them); more would overlap on a phone.
MAX_X_LABELS = 6
FONT_SIZE = 16  # about 11 px on a 320 px screen


@dataclass
class Series:
    """One line: its label (the item's words) and a value per meeting (None: not answered)."""

    label: str
    values: list[int | None]


@dataclass
class Point:
    series: int
    meeting: int
    value: int
    x: float
    y: float


@dataclass
class LegendEntry:
    label: str
    shape: str
    dash: str
    index: int
    swatch: Markup  # a small SVG of the line and marker, hidden from screen readers


@dataclass
class Chart:
    svg: Markup
    legend: list[LegendEntry]
    points: list[Point]
    view_box: tuple[int, int, int, int] = (0, 0, WIDTH, HEIGHT)


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def marker_path(shape: str, x: float, y: float, r: float = MARKER_RADIUS) -> str:
    """SVG path data for a marker of `shape` centred on (x, y), filled like any other shape (the
    cross is an outline). The team's trend and the service report draw their markers with it."""
    if shape == "circle":
        return f"M{x - r:.1f},{y:.1f}a{r},{r} 0 1,0 {2 * r},0a{r},{r} 0 1,0 {-2 * r},0Z"
    if shape == "square":
        return f"M{x - r:.1f},{y - r:.1f}h{2 * r}v{2 * r}h{-2 * r}Z"
    if shape == "triangle":
        return f"M{x:.1f},{y - r - 1:.1f}L{x + r + 1:.1f},{y + r:.1f}L{x - r - 1:.1f},{y + r:.1f}Z"
    if shape == "triangle-down":
        return f"M{x:.1f},{y + r + 1:.1f}L{x + r + 1:.1f},{y - r:.1f}L{x - r - 1:.1f},{y - r:.1f}Z"
    if shape == "diamond":
        return f"M{x:.1f},{y - r - 1:.1f}L{x + r + 1:.1f},{y:.1f}L{x:.1f},{y + r + 1:.1f}L{x - r - 1:.1f},{y:.1f}Z"
    t = r / 2.5
    return (f"M{x - t:.1f},{y - r:.1f}h{2 * t:.1f}v{r - t:.1f}h{r - t:.1f}v{2 * t:.1f}h{t - r:.1f}v{r - t:.1f}"
            f"h{-2 * t:.1f}v{t - r:.1f}h{t - r:.1f}v{-2 * t:.1f}h{r - t:.1f}Z")


def _marker_element(shape: str, x: float, y: float, r: float = MARKER_RADIUS) -> str:
    # A white ring keeps overlapping markers apart.
    return f'<path d="{marker_path(shape, x, y, r)}" class="marker marker-{shape}" fill="currentColor" stroke="#fff"/>'


def y_of(value: float) -> float:
    """The y coordinate of a step (1 at the bottom, 5 at the top)."""
    span = HEIGHT - TOP - BOTTOM
    return TOP + span * (STEPS[-1] - value) / (STEPS[-1] - STEPS[0])


def x_of(meeting: int, meetings: int) -> float:
    """The x coordinate of the `meeting`-th of `meetings` (one meeting sits in the middle)."""
    span = WIDTH - LEFT - RIGHT
    if meetings <= 1:
        return LEFT + span / 2
    inset = span * 0.06  # keep the first and last markers clear of the axes
    return LEFT + inset + (span - 2 * inset) * meeting / (meetings - 1)


def _swatch(shape: str, dash: str, index: int) -> Markup:
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return Markup(
        f'<svg class="trend-swatch trend-series-{index}" viewBox="0 0 44 16" width="44" height="16" '
        f'aria-hidden="true" focusable="false">'
        f'<line x1="2" y1="8" x2="42" y2="8" stroke="currentColor" stroke-width="2.5"{dash_attr}/>'
        f'{_marker_element(shape, 22, 8, 5)}</svg>'
    )


def x_label_indices(meetings: int) -> list[int]:
    """Which meetings get their date written under the x axis."""
    if meetings <= MAX_X_LABELS:
        return list(range(meetings))
    every = -(-(meetings - 1) // (MAX_X_LABELS - 1))
    return list(range(meetings - 1, -1, -every))[::-1]


def line_chart(chart_id: str, title: str, description: str, x_labels: list[str], series: list[Series]) -> Chart:
    """An SVG line chart of `series` over the meetings named by `x_labels`, on the steps 1–5.

    `title` and `description` are the chart's text alternative (role="img", aria-label with the
    title, aria-describedby the description; both also as <title> and <desc>). The
    y axis has the step numbers; their words are in the page's caption and the table (they would be
    too small to read inside the chart on a phone). A series with one value (or values with gaps) is
    drawn as points without a line between them."""
    meetings = len(x_labels)
    out = [
        f'<svg class="trend-chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
        f'aria-label="{escape(title)}" aria-describedby="{chart_id}-desc" id="{chart_id}" '
        f'preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
        '<g class="trend-grid" stroke="currentColor" stroke-opacity="0.25" stroke-width="1">',
    ]
    for step in STEPS:
        y = _num(y_of(step))
        out.append(f'<line x1="{LEFT}" y1="{y}" x2="{WIDTH - RIGHT}" y2="{y}"/>')
    out.append("</g>")
    out.append(f'<g class="trend-axis" fill="currentColor" font-size="{FONT_SIZE}">')
    for step in STEPS:
        out.append(f'<text x="{LEFT - 10}" y="{_num(y_of(step) + 5)}" text-anchor="end">{step}</text>')
    for n in x_label_indices(meetings):
        out.append(f'<text x="{_num(x_of(n, meetings))}" y="{HEIGHT - BOTTOM + 22}" '
                   f'text-anchor="middle">{escape(x_labels[n])}</text>')
    out.append("</g>")

    points: list[Point] = []
    legend: list[LegendEntry] = []
    count = len(series)
    for index, line in enumerate(series):
        shape, dash = SHAPES[index % len(SHAPES)], DASHES[index % len(DASHES)]
        shift = (index - (count - 1) / 2) * SPREAD
        mine = [Point(index, n, value, x_of(n, meetings) + shift, y_of(value))
                for n, value in enumerate(line.values[:meetings]) if value is not None and value in STEPS]
        points.extend(mine)
        out.append(f'<g class="trend-series trend-series-{index}" data-shape="{shape}">')
        # A line joins neighbouring meetings only: a meeting without an answer breaks it.
        segments, current = [], []
        for point in mine:
            if current and point.meeting != current[-1].meeting + 1:
                segments.append(current)
                current = []
            current.append(point)
        segments.append(current)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        for segment in segments:
            if len(segment) < 2:
                continue
            d = "M" + "L".join(f"{_num(p.x)} {_num(p.y)}" for p in segment)
            out.append(f'<path class="trend-line" d="{d}" fill="none" stroke="currentColor" '
                       f'stroke-width="2.5"{dash_attr}/>')
        for point in mine:
            out.append(_marker_element(shape, point.x, point.y))
        out.append("</g>")
        legend.append(LegendEntry(line.label, shape, dash, index, _swatch(shape, dash, index)))
    out.append("</svg>")
    return Chart(svg=Markup("".join(out)), legend=legend, points=points)
