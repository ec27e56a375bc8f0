"""The newsroom's own photo or clip, full frame, with its caption and credit.

A photo whose shape is close to the frame's fills it, held still; one of another shape
(a landscape photo in a 9:16 video) is shown whole over a blurred, darkened copy of itself,
so nothing is cropped through a face or a credit. The caption and credit sit on a dark panel
above the subtitle area, so they read on any picture.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageFilter, ImageOps

from ...shotlist import MediaItem, Shot
from ..base import RenderJob
from ..overlay import Layer, save_layer
from ..palette import Palette
from .layout import Box, canvas, font, safe_box, text_block, unit

#: How far a photo's aspect may differ from the frame's (as a fraction) and still fill it.
FILL_TOLERANCE = 0.2
#: The panel behind the caption: black at this alpha keeps white type above 7:1 on white.
PANEL_ALPHA = 190


def fills_frame(width: int, height: int, job: RenderJob) -> bool:
    """Whether a picture of this size fills the frame (cropped a little) or is shown whole."""
    ratio, frame = width / height, job.width / job.height
    return abs(ratio - frame) / frame <= FILL_TOLERANCE


def photo_background(item: MediaItem, size: tuple[int, int], job: RenderJob) -> Image.Image:
    """The photo at ``size`` (the frame's): filled, or whole over a blur."""
    with Image.open(item.path) as opened:
        photo = ImageOps.exif_transpose(opened).convert("RGB")
    # Faces sit high in most news photos: when the fill crops height, keep more of the top.
    cover = ImageOps.fit(photo, size, Image.LANCZOS, centering=(0.5, 0.4))
    if fills_frame(photo.width, photo.height, job):
        return cover
    backdrop = cover.resize((size[0] // 8, size[1] // 8)).filter(ImageFilter.GaussianBlur(6)).resize(size, Image.BICUBIC)
    backdrop = Image.blend(backdrop, Image.new("RGB", size, (0, 0, 0)), 0.45)
    whole = ImageOps.contain(photo, (int(size[0] / 1.08), int(size[1] / 1.08)), Image.LANCZOS)
    backdrop.paste(whole, ((size[0] - whole.width) // 2, (size[1] - whole.height) // 2))
    return backdrop


def credit_line(item: MediaItem) -> str:
    """'Photo: Jane Roe / City Desk' (the credit as given when it already says what it is)."""
    credit = item.credit
    if credit.lower().startswith(("photo", "video", "\u00a9", "(c)", "copyright", "courtesy")):
        return credit
    return f"{'Photo' if item.type == 'photo' else 'Video'}: {credit}"


def layers(shot: Shot, job: RenderJob, palette: Palette, folder: Path) -> list[Layer]:
    """The caption and the credit on one dark panel, low in the safe box."""
    item = job.media
    if item is None or not (item.caption or item.credit):
        return []
    box, u = safe_box(job), unit(job)
    panel, draw = canvas(job)
    pad = int(u * 0.022)
    caption_box = Box(box.left + pad, box.top, box.right - pad, box.bottom)
    # Measure first on a scratch canvas: the panel's height follows the caption's lines.
    _, pen = canvas(job)
    height = text_block(pen, item.caption, Box(caption_box.left, 0, caption_box.right, int(box.height * 0.3)),
                        int(u * 0.042), int(u * 0.03), (255, 255, 255, 255), weight="RobotoMedium", top=0) if item.caption else 0
    credit_size = int(u * 0.026)
    total = height + (credit_size + int(u * 0.012) if item.credit else 0)
    top = box.bottom - total - 2 * pad
    draw.rounded_rectangle((box.left, top, box.right, box.bottom), radius=pad, fill=(0, 0, 0, PANEL_ALPHA))
    if job.brand is not None and job.brand.lower_third == "bar":
        # The brand's lower third: an accent bar down the panel's left edge.
        draw.rectangle((box.left, top, box.left + max(4, int(u * 0.008)), box.bottom), fill=palette.accent + (255,))
    y = top + pad
    if item.caption:
        y = text_block(draw, item.caption, Box(caption_box.left, y, caption_box.right, y + int(box.height * 0.3)),
                       int(u * 0.042), int(u * 0.03), (255, 255, 255, 255), weight="RobotoMedium", top=y)
    if item.credit:
        draw.text((caption_box.left, y + int(u * 0.008)), credit_line(item), font=font("Roboto", credit_size), fill=(225, 225, 225, 255))
    return [save_layer(panel, folder / "caption.png", 0.5, rise=False)]
