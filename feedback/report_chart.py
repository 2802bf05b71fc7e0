"""The geometry of the service report's two charts, drawn by the template as SVG on the server:
responses per month (bars) and the mean of each item per month (lines with a marker shape per
item, so that colour is never the only difference). Only the figures the table shows are drawn:
hidden months and cells are left out, and a line breaks across them.

Colours are presentation attributes, not CSS: the charts keep their colours whatever style sheet
is loaded, and the Content-Security-Policy forbids inline styles anyway. Each colour has at least
3:1 contrast against white (WCAG 1.4.11).
"""
from dataclasses import dataclass, field

from feedback.chart import SHAPES, marker_path
from feedback.report_services import DONT_KNOW, Report, month_index

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 16, 44
MAX_X_LABELS = 6
COLOURS = ("#0063a6", "#b34700", "#00785a", "#9c3f8a", "#5c5c5c", "#7a5c00")
DASHES = ("", "6 3", "2 3", "8 3 2 3")


@dataclass
class Tick:
    position: float
    label: str


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    month: str
    value: int


@dataclass
class Series:
    key: str
    label: str
    colour: str
    shape: str
    dash: str
    segments: list[list[tuple[float, float]]]  # each a run of months with a shown mean
    markers: list[str] = field(default_factory=list)  # SVG path data, one per point

    @property
    def legend_marker(self) -> str:
        return marker_path(self.shape, 18, 8, 4)

    @property
    def polylines(self) -> list[str]:
        return [" ".join(f"{x:.1f},{y:.1f}" for x, y in segment) for segment in self.segments if len(segment) > 1]


@dataclass
class Chart:
    width: int
    height: int
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    bars: list[Bar] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)


def _x_axis(report: Report, month_label) -> tuple[dict[str, float], list[Tick], float]:
    months = [m.month for m in report.months]
    slot = (WIDTH - LEFT - RIGHT) / max(len(months), 1)
    xs = {month: LEFT + slot * (i + 0.5) for i, month in enumerate(months)}
    every = max(1, -(-len(months) // MAX_X_LABELS))
    ticks = [Tick(xs[month], month_label(month)) for i, month in enumerate(months)
             if (len(months) - 1 - i) % every == 0]
    return xs, ticks, slot


def responses_chart(report: Report, month_label) -> Chart:
    """Bars: responses in each shown month."""
    xs, x_ticks, slot = _x_axis(report, month_label)
    shown = [m for m in report.months if m.shown]
    top = max((m.responses for m in shown), default=0)
    step = _nice_step(top)
    y_max = max(step, -(-top // step) * step)
    bottom, height = HEIGHT - BOTTOM, HEIGHT - BOTTOM - TOP

    def y(value):
        return bottom - height * value / y_max

    chart = Chart(WIDTH, HEIGHT, LEFT, WIDTH - RIGHT, TOP, bottom, x_ticks,
                  [Tick(y(v), str(v)) for v in range(0, y_max + 1, step)])
    width = min(slot * 0.6, 40)
    chart.bars = [Bar(xs[m.month] - width / 2, y(m.responses), width, bottom - y(m.responses), m.month, m.responses)
                  for m in shown]
    return chart


def _nice_step(top: int) -> int:
    """A round step for about five grid lines up to `top`."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000):
        if top / step <= 5:
            return step
    return 10 ** len(str(top))


def means_chart(report: Report, month_label) -> Chart:
    """Lines: each item's mean in each month where the table shows it."""
    xs, x_ticks, _slot = _x_axis(report, month_label)
    values = sorted({step.value for item in report.items for step in item.steps if step.value != DONT_KNOW})
    low, high = (values[0], values[-1]) if values else (1, 5)
    high = max(high, low + 1)
    bottom, height = HEIGHT - BOTTOM, HEIGHT - BOTTOM - TOP

    def y(value):
        return bottom - height * (value - low) / (high - low)

    chart = Chart(WIDTH, HEIGHT, LEFT, WIDTH - RIGHT, TOP, bottom, x_ticks,
                  [Tick(y(v), str(v)) for v in range(low, high + 1)])
    for i, item in enumerate(report.trend_items):
        series = Series(item.key, item.text, COLOURS[i % len(COLOURS)], SHAPES[i % len(SHAPES)],
                        DASHES[(i // len(COLOURS)) % len(DASHES)], [])
        run: list[tuple[float, float]] = []
        previous = None
        for month in report.months:
            mean = month.means.get(item.key)
            if mean is None:
                continue
            point = (xs[month.month], y(mean))
            if previous is not None and month_index(month.month) != month_index(previous) + 1:
                series.segments.append(run)
                run = []
            run.append(point)
            series.markers.append(marker_path(series.shape, *point))
            previous = month.month
        if run:
            series.segments.append(run)
        chart.series.append(series)
    return chart
