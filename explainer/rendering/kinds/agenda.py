"""The agenda: a sectioned story's parts, the one the narration has reached highlighted.

Shown at the start of the first shot of each section, it is the section's title card: a
"Part 2 of 5" kicker, then every part's heading in order, the current one in full colour with
the accent marker, the others muted. The first section's card builds its list line by line,
so it doubles as the overview; later ones appear at once, the place in the story at a glance.
"""

from __future__ import annotations

from pathlib import Path

from ...shotlist import Shot
from ..base import RenderJob
from ..overlay import Layer, save_layer
from ..palette import Palette
from .layout import Box, canvas, font, safe_box, text_block, unit

#: Seconds between one part appearing and the next on the first section's card.
STAGGER_S = 0.25


def layers(shot: Shot, job: RenderJob, palette: Palette, folder: Path) -> list[Layer]:
    """The kicker and one layer per part (staggered on the first section's card)."""
    agenda = shot.agenda
    assert agenda is not None
    box, u = safe_box(job), unit(job)
    kicker, pen = canvas(job)
    pen.text((box.left, box.top), f"Part {agenda.current} of {len(agenda.sections)}".upper(),
             font=font("RobotoBold", u * 0.034), fill=palette.accent + (255,))
    out = [save_layer(kicker, folder / "agenda-kicker.png", rise=False)]
    top = box.top + int(u * 0.08)
    row = min((box.bottom - top) // len(agenda.sections), int(u * 0.12))
    for number, heading in enumerate(agenda.sections, start=1):
        current = number == agenda.current
        layer, draw = canvas(job)
        y = top + (number - 1) * row
        size = row * (0.5 if current else 0.4)
        draw.text((box.left, y), f"{number:>2}", font=font("RobotoBold", size), fill=(palette.accent if current else palette.muted) + (255,))
        if current:
            bar = max(4, int(u * 0.006))
            draw.rectangle((box.left + int(u * 0.068), y, box.left + int(u * 0.068) + bar, y + int(row * 0.8)), fill=palette.accent + (255,))
        text_block(draw, heading, Box(box.left + int(u * 0.09), y, box.right, y + int(row * 0.92)), int(size), int(u * 0.025),
                   (palette.text if current else palette.muted) + (255,), weight="RobotoBold" if current else "RobotoMedium")
        start = 0.3 + (number - 1) * STAGGER_S if agenda.current == 1 else 0.3
        out.append(save_layer(layer, folder / f"agenda-{number}.png", start, rise=current))
    return out
