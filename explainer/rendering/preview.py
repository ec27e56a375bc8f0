"""A contact sheet: one still per shot, in order, numbered, so an editor can look first."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

from PIL import Image, ImageDraw

from ..shotlist import ShotList
from .base import RenderJob
from .brand import Brand
from .cards import CardsRenderer
from .kinds.layout import font

#: Width of one frame on the sheet, pixels.
THUMB_WIDTH = 480


def contact_sheet(shotlist: ShotList, columns: int = 3, brand: Brand | None = None) -> Image.Image:
    """Every shot's built frame, scaled down and tiled with its id and kind beneath."""
    width, height = shotlist.size
    job = RenderJob(frames=1, fps=25, width=width, height=height, title=shotlist.title, language=shotlist.language, brand=brand)
    media = {item.id: item for item in shotlist.media}
    renderer = CardsRenderer()
    thumb_h = round(THUMB_WIDTH * height / width)
    caption_h = 30
    columns = min(columns, len(shotlist.shots))
    rows = math.ceil(len(shotlist.shots) / columns)
    gap = 12
    sheet = Image.new("RGB", (columns * (THUMB_WIDTH + gap) + gap, rows * (thumb_h + caption_h + gap) + gap), (245, 245, 242))
    draw = ImageDraw.Draw(sheet)
    for i, shot in enumerate(shotlist.shots):
        x = gap + (i % columns) * (THUMB_WIDTH + gap)
        y = gap + (i // columns) * (thumb_h + caption_h + gap)
        shot_job = replace(job, media=media.get(shot.media)) if shot.kind == "media" else job
        sheet.paste(renderer.still(shot, shot_job).resize((THUMB_WIDTH, thumb_h), Image.LANCZOS), (x, y))
        flag = "  \u26a0 unsupported" if shot.unsupported else ""
        draw.text((x, y + thumb_h + 6), f"{shot.id} \u00b7 {shot.kind}{flag}", font=font("RobotoMedium", 16), fill=(30, 30, 30))
    return sheet


def write_contact_sheet(shotlist: ShotList, path: Path, brand: Brand | None = None) -> Path:
    """Save the contact sheet as PNG (or JPEG by the file's suffix)."""
    contact_sheet(shotlist, brand=brand).save(path)
    return path
