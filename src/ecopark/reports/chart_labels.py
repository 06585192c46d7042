"""Labels only where they fit, measured with the renderer: the years of a trend panel every k-th
when they would touch, a value label above its point, below it, above to its left or left of it
— the first place where it stays inside its panel and touches no other label and no drawn line —
else none. Used by `ecopark.reports.charts` after the panels are placed (their places are fixed
by rule, so what is measured is what is drawn)."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["settle"]

# where a value label may go, in order: above its point, below it, above to its left, to its left
_PLACES: tuple[tuple[tuple[float, float], Literal["center", "right"],
                     Literal["bottom", "top", "center"]], ...] = (
    ((0.0, 5.0), "center", "bottom"), ((0.0, -6.0), "center", "top"),
    ((-2.0, 5.0), "right", "bottom"), ((-5.0, 0.0), "right", "center"))
_MARGIN_IN = 0.14  # a label may reach this far into the panel's right margin


def settle(figure: Figure, axes: list[Axes]) -> None:
    """Keep only the labels that fit, measured with the renderer: the years every k-th (the
    last year always), the value labels where they collide with no other text."""
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    for ax in axes:
        _thin_years(ax, renderer)
    for ax in axes:
        _thin_values(ax, renderer)


def _thin_years(ax: Axes, renderer: Any) -> None:
    """Label every k-th year, counted back from the last, k the smallest that keeps the year
    labels 0.6 label widths apart."""
    from matplotlib import rcParams
    from matplotlib.font_manager import FontProperties

    ticks = list(ax.get_xticks())
    if len(ticks) < 2:
        return
    font = FontProperties(size=rcParams["xtick.labelsize"])
    width = renderer.get_text_width_height_descent(str(int(ticks[-1])), font, ismath=False)[0]
    left, right = (ax.transData.transform((tick, 0))[0] for tick in ticks[:2])
    step = max(1, -(-int(1.6 * width) // max(1, int(right - left))))
    names = [str(int(tick)) if (len(ticks) - 1 - index) % step == 0 else ""
             for index, tick in enumerate(ticks)]
    ax.set_xticks(ticks, names)


def _thin_values(ax: Axes, renderer: Any) -> None:
    """Place each value label above its point, else below, else above to its left, else left
    of it, else not at all:
    the last year's
    first, then the others from the latest back; a place is taken when the label stays inside
    the panel (clear of the title, the years and the value axis, which are outside it) and
    touches no kept label and neither the value nor the requirement line."""
    from matplotlib.text import Annotation

    labels = [t for t in ax.texts if isinstance(t, Annotation) and t.get_gid() == "value"]
    taken: list[Any] = []
    points = _line_points(ax)
    for label in reversed(labels):
        for offset, across, down in _PLACES:
            label.xyann = offset
            label.set_horizontalalignment(across)
            label.set_verticalalignment(down)
            box = label.get_window_extent(renderer).padded(1.5)
            if _free(box, ax, taken, points):
                taken.append(box)
                break
        else:
            label.set_visible(False)


def _free(box: Any, ax: Axes, taken: list[Any], points: Any) -> bool:
    """Whether a label's box is inside the panel (right of the value axis, above the years,
    below the title; across the right edge only into the panel's own margin), clear of the boxes
    taken and of the lines' points."""
    right = min(ax.figure.bbox.x1, ax.bbox.x1 + _MARGIN_IN * ax.figure.dpi)  # the panel's right margin
    inside = ax.bbox.x0 < box.x0 and box.x1 < right and ax.bbox.y0 < box.y0 and \
        box.y1 < ax.bbox.y1 + 4
    return inside and not any(box.overlaps(other) for other in taken) and \
        not box.count_contains(points)


def _line_points(ax: Axes) -> Any:
    """Points along the drawn lines, in display coordinates, 2 px apart or closer."""
    import numpy as np

    found = []
    for line in ax.get_lines():
        xy = ax.transData.transform(np.column_stack(line.get_data()).astype(float))
        for start, end in itertools.pairwise(xy):
            if np.isfinite(start).all() and np.isfinite(end).all():
                steps = max(2, int(np.hypot(*(end - start)) / 2))
                found.append(np.linspace(start, end, steps))
    return np.concatenate(found) if found else np.empty((0, 2))
