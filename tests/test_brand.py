"""Brand kits: checked colours, fonts and logo; intro and outro cards; titles inside the safe area."""

from __future__ import annotations

import json
import shutil

import pytest
from PIL import Image

import font_roboto
from explainer.assembly.media import probe
from explainer.errors import InputError
from explainer.rendering import RenderJob
from explainer.rendering.brand import drawing_with, load_brand
from explainer.rendering.kinds import content_layers
from explainer.rendering.kinds.layout import safe_box
from explainer.rendering.palette import contrast_ratio
from explainer.shotlist import ASPECT_SIZES, Shot, TitleCard

from .conftest import SHORT_ARTICLE

LOGO = ('<svg xmlns="http://www.w3.org/2000/svg" width="60" height="60"><rect width="60" height="60" rx="8" fill="#f2f2f2"/>'
        '<circle cx="30" cy="30" r="18" fill="#7a1020"/></svg>')
KIT = """name = "Riverside Ledger"
logo = "logo.svg"
[colours]
background = "#5a0f1c"
background_end = "#2a060c"
accent = "#ffd166"
text = "#fff8f0"
muted = "#f0c8c8"
[fonts]
headline = "head.ttf"
body = "body.ttf"
[lower_third]
style = "bar"
[intro]
text = "Riverside Ledger explains"
seconds = 2.0
[outro]
text = "Read the full story at riverside-ledger.example"
seconds = 2.5
"""


@pytest.fixture
def kit(tmp_path):
    folder = tmp_path / "brand"
    folder.mkdir()
    (folder / "logo.svg").write_text(LOGO)
    shutil.copy(font_roboto.font_files["RobotoBlack"], folder / "head.ttf")
    shutil.copy(font_roboto.font_files["RobotoLight"], folder / "body.ttf")
    (folder / "brand.toml").write_text(KIT)
    return folder / "brand.toml"


def test_a_kit_loads_with_its_logo_fonts_and_cards(kit):
    brand = load_brand(kit)
    assert brand.name == "Riverside Ledger" and brand.lower_third == "bar"
    with Image.open(__import__("io").BytesIO(brand.logo)) as logo:
        assert logo.height == 256  # the SVG, rasterised
    assert brand.headline_font.name == "head.ttf" and brand.font_for("Roboto").name == "body.ttf"
    assert (brand.intro.seconds, brand.outro.text) == (2.0, "Read the full story at riverside-ledger.example")
    for colour in (brand.palette.text, brand.palette.muted, brand.palette.accent):
        for ground in (brand.palette.top, brand.palette.bottom):
            assert contrast_ratio(colour, ground) >= 4.5


@pytest.mark.parametrize(("change", "message"), [
    (('text = "#fff8f0"', 'text = "#8a4050"'), "colours.text on colours.background has a contrast of 1.9:1; text needs at least 4.5:1 (WCAG AA)"),
    (('accent = "#ffd166"', 'accent = "red"'), "colours.accent: Value error, 'red' is not a colour; write it as #rrggbb"),
    (('head.ttf', 'missing.ttf'), "fonts.headline:"),
    (('logo.svg', 'brand.toml'), "logo: brand.toml is not a PNG or SVG image"),
    (('name = "Riverside Ledger"', 'nmae = "x"'), "brand.toml: name: missing; add it"),
])
def test_a_bad_kit_is_refused_with_what_to_fix(kit, change, message):
    kit.write_text(KIT.replace(*change))
    with pytest.raises(InputError) as error:
        load_brand(kit)
    assert message in str(error.value)


def test_the_cli_refuses_a_low_contrast_kit_before_any_work(cli, kit, tmp_path):
    kit.write_text(KIT.replace('muted = "#f0c8c8"', 'muted = "#6a2030"'))
    article = tmp_path / "a.md"
    article.write_text(SHORT_ARTICLE)
    run = cli("make", str(article), "--brand", str(kit), "-o", str(tmp_path / "a.mp4"))
    assert run.code == 2 and "colours.muted on colours.background has a contrast of" in run.stderr
    assert "Traceback" not in run.stderr and not (tmp_path / "a.mp4").exists()


@pytest.mark.parametrize("aspect", list(ASPECT_SIZES))
def test_a_long_title_stays_inside_the_safe_area(kit, tmp_path, aspect):
    brand = load_brand(kit)
    width, height = ASPECT_SIZES[aspect]
    job = RenderJob(frames=30, fps=30, width=width, height=height, title="T", brand=brand)
    shot = Shot(id="a", narration="x y z.", kind="title", title_card=TitleCard(
        headline="Riverside's Elm Street Bridge to close for fourteen months of repairs after a six to one council vote",
        source_line="Riverside Ledger", date="2026-03-03"))
    with drawing_with(brand):
        layers = content_layers(shot, job, brand.palette, tmp_path)
    box = safe_box(job)
    for layer in layers:
        with Image.open(layer.path) as image:
            left, top = layer.at
            # (layers are saved on even pixels for 4:2:0 video: one pixel of slack)
            assert box.left - 1 <= left and left + image.width <= box.right + 1, (aspect, layer.path.name)
            assert box.top - 1 <= top and top + image.height <= box.bottom + 1, (aspect, layer.path.name)
    # And the safe box is inside the title-safe area (5% in from every edge).
    assert box.left >= width * 0.05 and box.right <= width * 0.95 and box.top >= height * 0.05 and box.bottom <= height * 0.95


def test_intro_and_outro_cards_frame_the_video(cli, kit, tmp_path):
    article = tmp_path / "library.md"
    article.write_text(SHORT_ARTICLE)
    video = tmp_path / "library.mp4"
    run = cli("make", str(article), "--brand", str(kit), "-o", str(video), "--length", "20", "-q")
    assert run.code == 0, run.stderr
    record = json.loads((tmp_path / "library.record.json").read_text())
    shots_s = sum(s["duration_s"] for s in record["shots"])
    assert record["renderer"]["brand"]["name"] == "Riverside Ledger"
    assert abs(record["duration_s"] - (shots_s + 2.0 + 2.5)) < 0.1
    info = probe(video)
    assert abs(info.first("video").duration_s - record["duration_s"]) < 0.05
    # Narration and captions start after the intro card.
    first_cue = (tmp_path / "library.vtt").read_text().split("\n\n")[1].split(" --> ")[0]
    assert first_cue >= "00:00:02.000", first_cue
