"""Geometry for server-rendered SVG bar charts.

The templates draw what these functions compute; colours come from the stylesheet
(series-1 … series-6), so a chart needs no script and no inline style.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from funding.money import format_exact, format_short


def nice_ticks(maximum: Decimal, count: int = 5) -> list[Decimal]:
    """Round axis steps (1, 2, 2.5 or 5 times a power of ten) from 0 to at least `maximum`."""
    if maximum <= 0:
        return [Decimal(0)]
    raw = maximum / count
    power = Decimal(10) ** (len(str(int(raw))) - 1) if raw >= 1 else Decimal(1)
    for multiple in (1, 2, Decimal("2.5"), 5, 10):
        step = power * multiple
        if step * count >= maximum:
            break
    ticks = []
    value = Decimal(0)
    while value < maximum + step:
        ticks.append(value)
        if value >= maximum:
            break
        value += step
    return ticks


@dataclass(kw_only=True)
class Box:
    """Where a rectangle of the chart is drawn, filled in by the layout functions below."""

    x: float = 0
    y: float = 0
    width: float = 0
    height: float = 0

    @property
    def middle(self):
        return self.y + self.height / 2

    @property
    def center(self):
        return self.x + self.width / 2

    @property
    def right(self):
        return self.x + self.width


@dataclass
class Segment(Box):
    label: str
    amount: Decimal
    url: str
    series: int

    @property
    def title(self):
        return f"{self.label}: {format_exact(self.amount)}"


@dataclass
class Bar(Box):
    label: str
    total: Decimal
    url: str
    segments: list[Segment] = field(default_factory=list)
    css_class: str = ""

    @property
    def total_short(self):
        return format_short(self.total)

    @property
    def title(self):
        return f"{self.label}: {format_exact(self.total)}"


@dataclass
class Tick:
    value: Decimal
    position: float

    @property
    def label(self):
        return format_short(self.value) if self.value else format_exact(self.value)


@dataclass
class Chart:
    width: int
    height: int
    bars: list[Bar]
    ticks: list[Tick]
    legend: list[tuple[int, str]]
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float


def _text_width(labels) -> int:
    """About how wide the longest of these labels is drawn at the charts' font size, in pixels."""
    return 7 * max((len(label) for label in labels), default=0)


def stacked_columns(bars: list[Bar], legend: list[tuple[int, str]], *, width=560, height=300) -> Chart:
    """Vertical bars, one per bar, each split into its segments from the bottom up."""
    maximum = max((bar.total for bar in bars), default=Decimal(0))
    ticks = nice_ticks(maximum)
    # Room on the left for the longest axis label ("$150M", "150 M US$" in Spanish).
    left = max(64, _text_width(Tick(value, 0).label for value in ticks) + 16)
    right, top, bottom = width - 12, 24, height - 36
    scale_top = ticks[-1] or Decimal(1)
    slot = (right - left) / max(len(bars), 1)
    for index, bar in enumerate(bars):
        bar.width = slot * 0.6
        bar.x = left + slot * index + (slot - bar.width) / 2
        base = bottom
        for segment in bar.segments:
            segment.height = float(segment.amount / scale_top) * (bottom - top)
            segment.x, segment.width = bar.x, bar.width
            segment.y = base - segment.height
            base = segment.y
        bar.y = base
        bar.height = bottom - base
    axis = [Tick(value, bottom - float(value / scale_top) * (bottom - top)) for value in ticks]
    return Chart(width, height, bars, axis, legend, left, right, top, bottom)


def horizontal_bars(bars: list[Bar], *, width=560, row_height=30, label_width=150) -> Chart:
    """One horizontal bar per row, labelled on the left, amount on the right."""
    # Room on the right for the longest amount ("$4.2M", "4,2 M US$" in Spanish).
    left, right, top = label_width, width - max(64, _text_width(bar.total_short for bar in bars) + 16), 8
    height = top + row_height * len(bars) + 8
    maximum = max((bar.total for bar in bars), default=Decimal(0)) or Decimal(1)
    for index, bar in enumerate(bars):
        bar.x = left
        bar.y = top + index * row_height + 4
        bar.height = row_height - 8
        bar.width = max(float(bar.total / maximum) * (right - left), 1)
    return Chart(width, height, bars, [], [], left, right, top, height - 8)
