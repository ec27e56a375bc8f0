"""A chart of two or more comparable numbers from the source, drawn with matplotlib.

The chart is drawn a few times at growing heights (or with more points) and the stages are
laid over each other in quick succession, so the build animates while matplotlib runs only
a handful of times per shot.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ...shotlist import Chart, Shot
from ..base import RenderJob
from ..overlay import Layer, save_layer
from ..palette import Palette
from .layout import Box, canvas, safe_box, text_block, unit

#: How many drawings make the build, and how long it takes.
BUILD_STAGES = 5
BUILD_S = 1.2


def _hex(rgb: tuple[int, int, int]) -> str:
    return "#%02x%02x%02x" % rgb


@lru_cache(maxsize=1)
def _pyplot():
    """matplotlib's pyplot on the Agg backend with Roboto registered, set up once per process."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    import font_roboto

    for face in ("Roboto", "RobotoMedium", "RobotoBold"):
        font_manager.fontManager.addfont(font_roboto.font_files[face])
    return plt


def draw_chart(chart: Chart, box: Box, u: int, palette: Palette, progress: float, path: Path) -> None:
    """Save the chart at build stage ``progress`` (0-1] as a transparent PNG of the box's size."""
    plt = _pyplot()
    text, muted, accent = _hex(palette.text), _hex(palette.muted), _hex(palette.accent)
    size = u * 0.034  # points at dpi 72 are pixels
    plt.rcParams.update({"font.family": "Roboto", "font.size": size, "text.color": text, "axes.labelcolor": muted,
                         "xtick.color": text, "ytick.color": muted})
    figure = plt.figure(figsize=(box.width / 72, box.height / 72), dpi=72)
    figure.patch.set_alpha(0)
    axes = figure.add_axes((0.04, 0.14, 0.92, 0.78))
    axes.set_facecolor((0, 0, 0, 0))
    labels = [p.label for p in chart.points]
    values = [p.value for p in chart.points]
    top = max(values) * 1.18 if max(values) > 0 else 1
    if chart.type == "bar":
        bars = axes.bar(labels, [v * progress for v in values], color=accent, width=0.6)
        if progress >= 1:
            for bar, point in zip(bars, chart.points):
                axes.text(bar.get_x() + bar.get_width() / 2, bar.get_height() + top * 0.02, point.shown,
                          ha="center", va="bottom", fontsize=size * 1.25, fontweight="bold", color=text)
    else:
        shown = max(1, round(len(values) * progress))
        axes.plot(labels[:shown], values[:shown], color=accent, linewidth=u * 0.006, marker="o", markersize=u * 0.012)
        axes.set_xlim(-0.3, len(labels) - 0.7)
        if progress >= 1:
            for i, point in enumerate(chart.points):
                axes.annotate(point.shown, (i, point.value), textcoords="offset points", xytext=(0, size * 0.7),
                              ha="center", fontsize=size * 1.1, fontweight="bold", color=text)
    axes.set_ylim(0, top)
    axes.set_yticks([])
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)
    axes.spines["bottom"].set_color(muted)
    axes.tick_params(axis="x", length=0, pad=size * 0.5)
    if chart.unit and not all(chart.unit in p.shown or chart.unit == "%" and "percent" in p.shown for p in chart.points):
        # A unit every value already shows ("14.0%") is not said again over the bars.
        axes.set_ylabel(chart.unit, rotation=0, ha="left", va="bottom", labelpad=0)
        axes.yaxis.set_label_coords(0, 1.0)
    figure.savefig(path, transparent=True)
    plt.close(figure)


def layers(shot: Shot, job: RenderJob, palette: Palette, folder: Path) -> list[Layer]:
    """The chart's title, then the chart building up in BUILD_STAGES drawings."""
    chart = shot.chart
    assert chart is not None
    box, u = safe_box(job), unit(job)
    head, draw = canvas(job)
    title_bottom = text_block(draw, chart.title, Box(box.left, box.top, box.right, box.top + int(u * 0.16)),
                              int(u * 0.06), int(u * 0.035), palette.text + (255,))
    out = [save_layer(head, folder / "title.png")]
    area = Box(box.left, title_bottom + int(u * 0.02), box.right, box.bottom)
    from PIL import Image

    for stage in range(1, BUILD_STAGES + 1):
        drawn = folder / f"chart{stage}.raw.png"
        draw_chart(chart, area, u, palette, stage / BUILD_STAGES, drawn)
        layer, _ = canvas(job)
        with Image.open(drawn) as image:
            layer.alpha_composite(image.convert("RGBA").resize((area.width, area.height)), (area.left, area.top))
        start = 0.45 + (stage - 1) * BUILD_S / BUILD_STAGES
        out.append(save_layer(layer, folder / f"chart{stage}.png", start, rise=False, fade_in_s=0.08))
    return out
