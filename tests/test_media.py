"""The newsroom's own photos and clips: captions, placement, rendering, Content Credentials."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
import yaml
from PIL import Image

from explainer.assembly.media import ffmpeg_exe, probe
from explainer.errors import InputError, ShotListError
from explainer.planning.media import place_media, unplaced
from explainer.rendering import RenderJob, get_renderer
from explainer.shotlist import ASPECT_SIZES, Shot, parse_shotlist
from tests.frames import shown, shown_count
from explainer.sources.media import load_media

from .conftest import FIXTURES, SAMPLE

SIGNED_PHOTO = FIXTURES / "c2pa" / "C.jpg"
XMP = """<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/">
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">Shuttle buses wait outside the downtown library</rdf:li></rdf:Alt></dc:description>
<dc:creator><rdf:Seq><rdf:li>Sam Lee</rdf:li></rdf:Seq></dc:creator>
<photoshop:Credit>Riverside Transit</photoshop:Credit>
</rdf:Description></rdf:RDF></x:xmpmeta>"""


@pytest.fixture
def library(tmp_path):
    """A media folder: the signed photo (sidecar caption), a photo captioned in its XMP, a clip
    captioned in its MP4 tags, and one whose caption matches nothing."""
    folder = tmp_path / "media"
    folder.mkdir()
    if not SIGNED_PHOTO.is_file():
        pytest.skip(f"shared fixtures not beside the repository ({SIGNED_PHOTO})")
    shutil.copy(SIGNED_PHOTO, folder / "bridge.jpg")
    Image.new("RGB", (900, 1200), (90, 120, 160)).save(folder / "shuttle.jpg", xmp=XMP.encode())
    Image.new("RGB", (640, 480), (200, 200, 200)).save(folder / "unrelated.png")
    import subprocess

    subprocess.run(
        [ffmpeg_exe(), "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=2",
         "-metadata", "title=Traffic on the Route 9 bridge, the detour during the closure", "-metadata", "artist=City of Riverside",
         "-c:v", "libx264", "-pix_fmt", "yuv420p", str(folder / "detour.mp4")],
        check=True,
    )
    (folder / "media.yaml").write_text(yaml.safe_dump({
        "bridge.jpg": {"caption": "The Elm Street Bridge, rated in poor condition by a state inspection",
                       "credit": "Jane Roe / Riverside Ledger"},
        "unrelated.png": {"caption": "A cat asleep on a windowsill", "credit": "Staff"},
    }))
    return folder


def test_captions_come_from_the_sidecar_xmp_and_mp4_tags(library):
    items = {item.id: item for item in load_media(library)}
    assert sorted(items) == ["bridge", "detour", "shuttle", "unrelated"]
    assert (items["bridge"].caption_from, items["bridge"].credit) == ("sidecar", "Jane Roe / Riverside Ledger")
    shuttle = items["shuttle"]
    assert (shuttle.caption, shuttle.credit, shuttle.caption_from) == (
        "Shuttle buses wait outside the downtown library", "Sam Lee / Riverside Transit", "XMP")
    detour = items["detour"]
    assert (detour.type, detour.caption_from, detour.credit) == ("clip", "MP4 tags", "City of Riverside")
    # The camera-signed photo keeps what its own Content Credentials say; the others are captures.
    assert items["bridge"].credentials.startswith("Valid Content Credentials, signed by C2PA Signer")
    assert items["bridge"].digital_source_type.endswith("/algorithmicMedia")
    assert shuttle.digital_source_type.endswith("/digitalCapture") and shuttle.credentials == ""


def test_a_bad_media_folder_is_one_clear_error(tmp_path):
    with pytest.raises(InputError, match="no such file or folder"):
        load_media(tmp_path / "nope")
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(InputError, match="no JPEG, PNG or MP4 files in it"):
        load_media(tmp_path)
    (tmp_path / "broken.jpg").write_bytes(b"not a jpeg")
    with pytest.raises(InputError, match="broken.jpg: not a readable JPEG or PNG"):
        load_media(tmp_path)


def test_photos_go_to_the_shots_their_captions_match(library):
    from explainer.planning import PlanSettings, get_planner
    from explainer.planning.visuals import design
    from explainer.sources import load_source

    shotlist = design(get_planner("extractive").plan(load_source(str(SAMPLE)), PlanSettings(length_s=90, max_shots=20)))
    placed = place_media(shotlist, load_media(library))
    shown = {shot.media: shot for shot in placed.shots if shot.kind == "media"}
    assert "unrelated" not in shown and [i.id for i in unplaced(placed)] == [i for i in ("shuttle", "unrelated") if i not in shown]
    assert "detour" in shown and "Route 9" in shown["detour"].narration
    # A shot that shows a fact keeps its graphic: photos only replace plain text cards.
    before = {shot.id: shot.kind for shot in shotlist.shots}
    assert all(before[shot.id] in ("text", "generated") for shot in shown.values())


def test_a_shot_naming_unknown_media_is_refused():
    text = ("title: T\nvoice: joe\nplanner: {name: x, version: '1'}\n"
            "shots:\n- {id: a, narration: Hello there you all., kind: media, media: harbour}\n")
    with pytest.raises(ShotListError, match="shot 'a': media names 'harbour', which is not in the shot list's media"):
        parse_shotlist(text)


@pytest.mark.parametrize("aspect", list(ASPECT_SIZES))
def test_a_photo_shot_shows_its_caption_at_every_aspect(library, tmp_path, aspect):
    item = next(i for i in load_media(library) if i.id == "shuttle")
    width, height = ASPECT_SIZES[aspect]
    job = RenderJob(frames=50, fps=25, width=width, height=height, title="Bridge closes", media=item)
    out = tmp_path / "photo.mp4"
    get_renderer("cards").render(Shot(id="a", narration="Buses wait.", kind="media", media="shuttle"), job, out)
    video = probe(out).first("video")
    assert (video.width, video.height, shown_count(out, job.fps)) == (width, height, 50)
    frames = shown(out, job.fps)
    # The caption panel fades in low in the frame: dark where the photo was mid-blue.
    panel = (slice(int(height * 0.72), int(height * 0.78)), slice(width // 4, width * 3 // 4))
    assert frames[40][panel].mean() < frames[0][panel].mean() - 20


def test_a_clip_shot_has_the_shots_length_and_no_audio_of_its_own(library, tmp_path):
    item = next(i for i in load_media(library) if i.id == "detour")
    job = RenderJob(frames=90, fps=30, width=1280, height=720, title="Bridge closes", media=item)
    out = tmp_path / "clip.mp4"
    get_renderer("cards").render(Shot(id="a", narration="Traffic.", kind="media", media="detour"), job, out)
    info = probe(out)
    assert [s.kind for s in info.streams] == ["video"]
    assert info.first("video").frames == 90  # a 2 s clip looped to fill 3 s


def test_a_video_with_a_signed_photo_keeps_the_photos_credentials(cli, library, tmp_path):
    video = tmp_path / "bridge.mp4"
    run = cli("make", str(SAMPLE), "--media", str(library), "-o", str(video), "--length", "60")
    assert run.code == 0, run.stderr
    shots = yaml.safe_load((tmp_path / "bridge.shots.yaml").read_text())
    assert "bridge" in {s.get("media") for s in shots["shots"]}, "the signed photo was not placed"
    assert "media:" in run.stderr and "not placed: " in run.stderr and "unrelated" in run.stderr
    report = json.loads(cli("verify", str(video), "--json").stdout)
    assert report["state"] == "Trusted"
    # Mixed with captured media, the whole is a composite with AI, and each part's type is kept.
    assert report["digital_source_types"][0].endswith("/compositeWithTrainedAlgorithmicMedia")
    assert any(t.endswith("/digitalCapture") for t in report["digital_source_types"])
    photo = next(i for i in report["ingredients"] if i["title"] == "bridge.jpg (supplied photo)")
    assert photo["relationship"] == "componentOf"
    assert photo["credentials"]["signer"] == "C2PA Signer"
    assert photo["credentials"]["claim_generator"].startswith("make_test_images")
    summary = cli("verify", str(video)).stdout
    assert "bridge.jpg (supplied photo): its own Content Credentials, signed by C2PA Signer" in summary
    vtt = (tmp_path / "bridge.descriptions.vtt").read_text()
    assert "Photo: The Elm Street Bridge, rated in poor condition by a state inspection. Jane Roe / Riverside Ledger." in vtt
