"""Small bar charts drawn on the server as SVG: no scripts, no third-party code.

Each chart is also a table (visually hidden) so a screen reader gets the numbers, and
the SVG itself is marked decorative beside it.
"""

from __future__ import annotations

from dataclasses import dataclass

WIDTH, HEIGHT, GAP, LABEL_SPACE = 360, 120, 4, 18


@dataclass(frozen=True)
class Bar:
    label: str  # shown under the bar, and the row header in the table
    value: int
    title: str  # the full period, e.g. "March 2026"


@dataclass(frozen=True)
class Chart:
    caption: str
    bars: tuple[Bar, ...]

    @property
    def total(self) -> int:
        return sum(bar.value for bar in self.bars)

    def svg(self) -> str:
        """The bars, scaled to the largest value; every number and label is escaped."""
        from django.utils.html import escape

        count = max(1, len(self.bars))
        top = max((bar.value for bar in self.bars), default=0) or 1
        width = (WIDTH - GAP * (count - 1)) / count
        plot = HEIGHT - LABEL_SPACE
        parts = [
            f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
            f'preserveAspectRatio="xMidYMid meet" aria-hidden="true" focusable="false">'
        ]
        for index, bar in enumerate(self.bars):
            x = index * (width + GAP)
            height = round(plot * bar.value / top, 1)
            parts.append(
                f'<rect x="{x:.1f}" y="{plot - height:.1f}" width="{width:.1f}" '
                f'height="{height}" rx="2"><title>{escape(bar.title)}: {bar.value}</title></rect>'
            )
            parts.append(
                f'<text x="{x + width / 2:.1f}" y="{HEIGHT - 4}" '
                f'text-anchor="middle">{escape(bar.label)}</text>'
            )
        parts.append("</svg>")
        return "".join(parts)
