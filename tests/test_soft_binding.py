"""The watermark soft binding: real marks in real encoded videos, a real repository, and
verify recovering the credentials of stripped and re-encoded copies."""

from __future__ import annotations

import base64
import json
import subprocess
from pathlib import Path

import numpy as np

from tests.conftest import needs_fixtures, FIXTURES, SHORT_ARTICLE, run_cli
from tests.frames import shown

from explainer.assembly.media import ffmpeg_exe
from provenance.repository import SqlRepository, store_facts
from provenance.detection import detect
from provenance.watermark import ALGORITHM, identifier_of, payload_bits


def ffmpeg(*args: str) -> None:
    subprocess.run([ffmpeg_exe(), "-v", "error", "-y", *args], check=True)


def copies(video: Path, folder: Path) -> dict[str, Path]:
    """The copies a viewer meets: metadata stripped, re-encoded, scaled to half size."""
    out = {name: folder / f"{name}.mp4" for name in ("stripped", "crf28", "half")}
    ffmpeg("-i", str(video), "-map", "0:v", "-map", "0:a", "-map_metadata", "-1", "-c", "copy", str(out["stripped"]))
    ffmpeg("-i", str(video), "-c:v", "libx264", "-crf", "28", "-c:a", "aac", str(out["crf28"]))
    ffmpeg("-i", str(video), "-vf", "scale=640:360", "-c:v", "libx264", "-crf", "23", "-an", str(out["half"]))
    return out


def frames(path: Path, every: int = 15) -> list[np.ndarray]:
    return [f.astype(np.float64) for f in shown(path)[::every]]


def test_payload_corrects_two_bytes_and_rejects_what_is_not_one():
    identifier = bytes.fromhex("0123456789abcd")
    bits = payload_bits(identifier)
    assert len(bits) == 96
    damaged = bits.copy()
    damaged[3] ^= 1  # byte 0
    damaged[50] ^= 1  # byte 6
    assert identifier_of(damaged) == identifier
    rng = np.random.default_rng(7)
    # Random reads (what unmarked frames give) are never taken for a payload.
    assert sum(identifier_of(rng.integers(0, 2, 96)) is not None for _ in range(2000)) == 0


def test_a_signed_video_carries_its_soft_binding_and_is_filed(made):
    from provenance import read_assertions

    binding = read_assertions(made.video)["c2pa.soft-binding"]
    assert binding["alg"] == ALGORITHM
    shots = made.record["shots"]
    # One block per shot, over exactly its time (ms), with the identifier watermarked into it.
    assert [b["value"] for b in binding["blocks"]] == [s["watermark"] for s in shots]
    spans = [(b["scope"]["timespan"]["start"], b["scope"]["timespan"]["end"]) for b in binding["blocks"]]
    expected = [(s["start_s"] * 1000, (s["start_s"] + s["duration_s"]) * 1000) for s in shots]  # start_s is kept to the ms
    assert len(spans) == len(expected) and all(abs(a - c) <= 1 and abs(b - d) <= 1 for (a, b), (c, d) in zip(spans, expected))
    assert all(len(base64.b64decode(s["watermark"])) == 7 for s in shots)
    filed = made.record["repository"]
    repository = SqlRepository.at(Path(filed["location"]))
    # The same article made again elsewhere in the session makes the same shots, hence the
    # same marks: every such manifest is filed under them.
    assert filed["manifest_id"] in repository.matches(ALGORITHM, shots[0]["watermark"])
    assert store_facts(repository.manifest(filed["manifest_id"])).bindings == [(ALGORITHM, s["watermark"]) for s in shots]
    # The signed file itself is read as marked, at its start.
    found = detect(made.video)
    assert found is not None and found.value == shots[0]["watermark"] and found.at_s < 2


def test_the_batched_embed_writes_the_pixels_the_library_writes(made):
    """We run invisible-watermark's DWT-DCT-SVD batched; on real frames of every strength it
    must write the pixels the library's own encoder writes."""
    import cv2

    from provenance.watermark import BLOCK, PAYLOAD_BITS, STRENGTHS, embed, library_algorithm, working_size

    bits = payload_bits(bytes.fromhex("0123456789abcd"))
    compared, differing, pixels = 0, 0, 0
    for rgb in frames(made.video, every=60):
        bgr = rgb.astype(np.uint8)[..., ::-1]
        small = cv2.resize(bgr, working_size(bgr.shape[1], bgr.shape[0]), interpolation=cv2.INTER_AREA)
        for strength in STRENGTHS:
            library = library_algorithm()(list(bits), PAYLOAD_BITS, [0, strength, 0], BLOCK).encode(small.copy())
            ours = embed(small.copy(), bits, strength)
            assert ours.shape == library.shape
            # The library's own decoder reads the same 96 bits from both. (At strength 24 an
            # 8-bit frame loses up to 8 of them in the library too: what the vote is for.)
            read = [library_algorithm()([], PAYLOAD_BITS, [0, strength, 0], BLOCK).decode(w) for w in (ours, library)]
            assert np.array_equal(read[0], read[1]), strength
            if strength >= 36:
                assert np.array_equal(np.asarray(read[0], np.uint8), bits), strength
            # The same arithmetic in another order. Flat colour puts a block's largest singular
            # value exactly on a quantisation step, where either side is a valid encoding of the
            # bit, so a few blocks may land one step apart; everything else is identical.
            differing += int(np.count_nonzero(ours != library))
            pixels += ours.size
            compared += 1
    assert compared >= 9 and differing / pixels < 0.03, (differing, pixels)


def test_the_batched_reader_reads_the_bits_the_library_reads(made, tmp_path):
    """Detection reads every block in one batched SVD; it must read what the library's own
    decoder reads, on the marked video and on a re-encoded copy, at every strength."""
    import cv2

    from provenance.watermark import BLOCK, PAYLOAD_BITS, STRENGTHS, library_algorithm, read_bits, working_size

    agree = total = 0
    for path in (made.video, copies(made.video, tmp_path)["crf28"]):
        for rgb in frames(path, every=20):
            bgr = np.ascontiguousarray(rgb.astype(np.uint8)[..., ::-1])
            ours = read_bits(bgr)
            small = cv2.resize(bgr, working_size(bgr.shape[1], bgr.shape[0]), interpolation=cv2.INTER_AREA)
            for strength in STRENGTHS:
                library = np.asarray(library_algorithm()([], PAYLOAD_BITS, [0, strength, 0], BLOCK).decode(small), np.uint8)
                agree += int((library == ours[strength]).sum())
                total += PAYLOAD_BITS
            assert identifier_of(ours[36]) is not None or path != made.video  # every frame of the original reads whole
    # Blocks whose value sits exactly on a step boundary (flat colour) may round either way.
    assert total > 20 * 96 and agree / total >= 0.999, (agree, total)


def test_stripped_and_reencoded_copies_recover_their_credentials(made, cache_root, tmp_path):
    repository = SqlRepository.at(Path(made.record["repository"]["location"]))
    same_footage = repository.matches(ALGORITHM, made.record["shots"][0]["watermark"])
    assert made.record["repository"]["manifest_id"] in same_footage
    for name, copy in copies(made.video, tmp_path).items():
        plain = run_cli("verify", str(copy), "--repository", "off", cache=cache_root)
        assert plain.code == 3 and plain.stdout.startswith("No Content Credentials:"), name
        run = run_cli("verify", str(copy), cache=cache_root)
        assert run.code == 5, (name, run.stdout, run.stderr)
        first = run.stdout.splitlines()[0]
        assert first.startswith("No Content Credentials in the file. A watermark links it to credentials recovered from "), first
        assert "AI-generated" in first and "this copy is not the signed file (re-encoded or edited)" in first
        assert "Library extends weekend hours" in first
        report = json.loads(run_cli("verify", "--json", str(copy), cache=cache_root).stdout)
        assert report["state"] == "Recovered" and report["ai_generated"] is True
        assert report["watermark"]["known"] is True and report["watermark"]["manifest_id"] in same_footage
        assert report["watermark"]["matches"] == len(same_footage)
        assert report["watermark"]["signature_valid"] is True
        assert report["watermark"]["identifier"] == made.record["shots"][0]["watermark"]
        assert report["validation_codes"] == ["assertion.bmffHash.mismatch"] or "signingCredential.untrusted" in report["validation_codes"]
        assert report["sources"][0]["title"] == "Library extends weekend hours"
        # Its signer is trusted here, as the original's is: the copy's bytes do not change that.
        assert report["signer_trusted"] is True and "Signed by: Explainer local signer" in run.stdout
        assert ", trusted" in next(line for line in run.stdout.splitlines() if line.startswith("Signed by:"))


def test_unknown_identifier_and_unmarked_video_say_so(made, cache_root, tmp_path):
    stripped = copies(made.video, tmp_path)["stripped"]
    empty = tmp_path / "empty.sqlite"
    assert SqlRepository.at(empty).matches(ALGORITHM, "AA==") == []  # an empty repository, created on first use
    run = run_cli("verify", str(stripped), "--repository", str(empty), cache=cache_root)
    assert run.code == 3
    assert run.stdout.splitlines()[0] == (
        f"No Content Credentials in the file. It carries an Explainer watermark ({made.record['shots'][0]['watermark']}) "
        f"that {empty} does not know.")
    report = json.loads(run_cli("verify", "--json", str(stripped), "--repository", str(empty), cache=cache_root).stdout)
    assert report["state"] == "NoCredentials" and report["watermark"]["known"] is False
    missing = run_cli("verify", str(stripped), "--repository", str(tmp_path / "nope.sqlite"), cache=cache_root)
    assert missing.code == 2 and "no such file" in missing.stderr and "Traceback" not in missing.stderr

    # The same article without a watermark: the copy has nothing to find, and the mark costs
    # less than the 40 dB PSNR budget against it.
    article = tmp_path / "library.md"
    article.write_text(SHORT_ARTICLE, encoding="utf-8")
    plain = tmp_path / "plain.mp4"
    made_plain = run_cli("make", str(article), "-o", str(plain), "--length", "25", cache=cache_root,
                         env={"EXPLAINER_WATERMARK_STRENGTH": "0"})
    assert made_plain.code == 0, made_plain.stderr
    assert json.loads(plain.with_suffix(".record.json").read_text())["shots"][0]["watermark"] is None
    unmarked = tmp_path / "unmarked.mp4"
    ffmpeg("-i", str(plain), "-map", "0", "-map_metadata", "-1", "-c", "copy", str(unmarked))
    run = run_cli("verify", "--json", str(unmarked), cache=cache_root)
    assert run.code == 3 and json.loads(run.stdout)["watermark"] is None
    marked, clean = frames(made.video), frames(plain)
    assert len(marked) == len(clean) > 20
    mse = np.mean([np.mean((a - b) ** 2) for a, b in zip(marked, clean)])
    assert 10 * np.log10(255 ** 2 / mse) >= 40.0


def test_each_render_of_one_article_is_recovered_as_itself_or_not_at_all(cache_root, tmp_path):
    """An original, its correction, and a shorter cut of one article share footage; a stripped
    copy of each must name its own signed video, never another (the copy's marks are read over
    the whole file and must sit where that video has them)."""
    import yaml

    repository = tmp_path / "renders.sqlite"
    article = tmp_path / "library.md"
    article.write_text(SHORT_ARTICLE, encoding="utf-8")

    def make(name: str, *args: str) -> tuple[Path, str]:
        video = tmp_path / f"{name}.mp4"
        run = run_cli(*args, "-o", str(video), cache=cache_root, env={"EXPLAINER_REPOSITORY": str(repository)})
        assert run.code == 0, run.stderr
        return video, json.loads(video.with_suffix(".record.json").read_text())["repository"]["manifest_id"]

    original = make("original", "make", str(article), "--length", "25")
    short = make("short", "make", str(article), "--length", "12")
    shots = tmp_path / "original.shots.yaml"
    script = yaml.safe_load(shots.read_text(encoding="utf-8"))
    # The correction rewords one shot (an editor's line, rendered as unsupported); the rest is unchanged.
    changed = next(s for s in script["shots"] if "18 percent" in s["narration"])
    changed["narration"] = "Director Sam Patel said weekend visits rose by 81 percent last year."
    corrected_script = tmp_path / "corrected.shots.yaml"
    corrected_script.write_text(yaml.safe_dump(script, sort_keys=False), encoding="utf-8")
    corrected = make("corrected", "render", str(corrected_script), "--corrects", str(original[0]), "--allow-unsupported")

    for video, manifest_id in (original, short, corrected):
        stripped = tmp_path / f"{video.stem}-stripped.mp4"
        ffmpeg("-i", str(video), "-map", "0:v", "-map", "0:a", "-map_metadata", "-1", "-c", "copy", str(stripped))
        run = run_cli("verify", "--json", str(stripped), "--repository", str(repository), cache=cache_root)
        report = json.loads(run.stdout)
        if report["state"] == "Recovered":
            assert report["watermark"]["manifest_id"] == manifest_id, video.stem
        else:  # it may say it cannot tell; it must never name another video
            assert run.code == 6 and report["state"] == "Ambiguous" and manifest_id in report["watermark"]["candidates"], video.stem
    # The original and its correction differ in one shot, which each copy holds: both are named.
    for video, manifest_id in (original, corrected):
        stripped = tmp_path / f"{video.stem}-stripped.mp4"
        report = json.loads(run_cli("verify", "--json", str(stripped), "--repository", str(repository), cache=cache_root).stdout)
        assert report["state"] == "Recovered" and report["watermark"]["manifest_id"] == manifest_id, video.stem
    # A piece of the original that holds only footage the correction shares cannot tell them apart.
    starts = json.loads(original[0].with_suffix(".record.json").read_text())["shots"]
    first_len = starts[0]["duration_s"]
    piece = tmp_path / "piece.mp4"
    ffmpeg("-i", str(original[0]), "-t", f"{first_len - 0.5:.2f}", "-map", "0:v", "-map_metadata", "-1", "-c:v", "libx264", str(piece))
    run = run_cli("verify", "--json", str(piece), "--repository", str(repository), cache=cache_root)
    report = json.loads(run.stdout)
    assert run.code == 6 and report["state"] == "Ambiguous", report["message"]
    assert {original[1], corrected[1]} <= set(report["watermark"]["candidates"])
    assert "cannot tell which it comes from" in report["message"]


def test_copies_in_every_container_and_a_screenshot_of_a_frame_recover_their_credentials(made, cache_root, tmp_path, own_repository):
    repository = SqlRepository.at(Path(made.record["repository"]["location"]))
    same_footage = repository.matches(ALGORITHM, made.record["shots"][0]["watermark"])
    out = {kind: tmp_path / f"copy.{kind}" for kind in ("webm", "mkv", "ts", "png", "jpg")}
    ffmpeg("-i", str(made.video), "-t", "8", "-an", "-c:v", "libvpx-vp9", "-b:v", "800k", "-deadline", "realtime",
           "-cpu-used", "8", str(out["webm"]))  # VP9 in WebM, as platforms hand it out
    ffmpeg("-i", str(made.video), "-map", "0:v", "-map", "0:a", "-c", "copy", str(out["mkv"]))
    ffmpeg("-i", str(made.video), "-map", "0:v", "-map", "0:a", "-c", "copy", str(out["ts"]))
    # A screenshot, as PNG and as JPEG (whose requantised chroma reads a byte or so wrong: the
    # least certain bits are flipped, and the identifier is believed because the repository knows it).
    ffmpeg("-ss", "3", "-i", str(made.video), "-frames:v", "1", str(out["png"]))
    ffmpeg("-ss", "3", "-i", str(made.video), "-frames:v", "1", "-q:v", "4", str(out["jpg"]))
    for kind, copy in out.items():
        run = run_cli("verify", "--json", str(copy), "--repository", str(own_repository), cache=cache_root)
        report = json.loads(run.stdout)
        assert run.code == 5 and report["state"] == "Recovered", (kind, report["message"])
        assert report["watermark"]["manifest_id"] in same_footage and report["ai_generated"] is True, kind
        assert report["sources"][0]["title"] == "Library extends weekend hours", kind


def test_a_repository_that_cannot_be_reached_is_not_taken_for_no_watermark(made, cache_root, tmp_path):
    import socket

    stripped = copies(made.video, tmp_path)["stripped"]
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    run = run_cli("verify", "--json", str(stripped), "--repository", f"http://127.0.0.1:{port}/sbr", cache=cache_root)
    report = json.loads(run.stdout)
    assert run.code == 7 and report["state"] == "NoCredentials" and report["watermark"]["error"]
    assert report["watermark"]["identifier"] == made.record["shots"][0]["watermark"]


def test_mirrored_padded_and_cropped_copies_recover_their_credentials(made, cache_root, tmp_path, own_repository):
    repository = SqlRepository.at(Path(made.record["repository"]["location"]))
    same_footage = repository.matches(ALGORITHM, made.record["shots"][0]["watermark"])
    filters = {"flip": "hflip", "portrait": "scale=720:-2,pad=720:1280:(ow-iw)/2:(oh-ih)/2",
               "pillarbox": "scale=-2:540,pad=1280:720:(ow-iw)/2:(oh-ih)/2",
               # Cropped evenly from the sides, 5% and 10% of each (the crop search), the second then scaled to 360p.
               "crop5": "crop=trunc(iw*0.95/2)*2:trunc(ih*0.95/2)*2",
               "crop10_360p": "crop=trunc(iw*0.9/2)*2:trunc(ih*0.9/2)*2,scale=-2:360"}
    for name, graph in filters.items():
        copy = tmp_path / f"{name}.mp4"
        ffmpeg("-i", str(made.video), "-t", "8", "-vf", graph, "-an", "-c:v", "libx264", "-crf", "23", str(copy))
        run = run_cli("verify", "--json", str(copy), "--repository", str(own_repository), cache=cache_root)
        report = json.loads(run.stdout)
        assert run.code == 5 and report["watermark"]["manifest_id"] in same_footage, (name, report["message"])


def test_a_sidecar_manifest_beside_a_copy_is_read(made, cache_root, tmp_path):
    repository = SqlRepository.at(Path(made.record["repository"]["location"]))
    store = repository.manifest(made.record["repository"]["manifest_id"])
    stripped = copies(made.video, tmp_path)["stripped"]
    stripped.with_suffix(".c2pa").write_bytes(store)  # stripped.c2pa beside stripped.mp4
    run = run_cli("verify", "--json", str(stripped), "--repository", "off", cache=cache_root)
    report = json.loads(run.stdout)
    # The store is read and its claims shown; the copy's bytes are not the signed file's, and it says so.
    assert report["title"] and report["ai_generated"] is True and "sidecar manifest stripped.c2pa" in report["message"]
    assert "assertion.bmffHash.mismatch" in report["validation_codes"]
    elsewhere = tmp_path / "manifest.bin"
    elsewhere.write_bytes(store)
    stripped.with_suffix(".c2pa").unlink()
    named = json.loads(run_cli("verify", "--json", str(stripped), "--repository", "off", "--manifest", str(elsewhere),
                               cache=cache_root).stdout)
    assert named["title"] == report["title"]
    missing = run_cli("verify", str(stripped), "--manifest", str(tmp_path / "nope.c2pa"), cache=cache_root)
    assert missing.code == 2 and "--manifest" in missing.stderr


def test_a_repository_answering_with_another_videos_credentials_is_refused(made, cache_root, tmp_path):
    """A repository may be wrong or lie: what it returns must carry the watermark it was found by."""
    import sqlalchemy as sa

    from provenance import TRAINED, Component, ManifestSpec, sign_file
    from provenance.repository import BINDINGS
    from provenance.signers import LocalKeySigner

    from provenance.identity import load_credentials, local_paths
    from tests.conftest import CONFIG

    chain, key, _ = local_paths(CONFIG / "keys")
    unsigned = tmp_path / "other.mp4"
    ffmpeg("-i", str(made.video), "-t", "2", "-map", "0", "-map_metadata", "-1", "-c", "copy", str(unsigned))
    spec = ManifestSpec(title="Another video", format="video/mp4", software_name="Explainer", software_version="test",
                        components=[Component(unsigned, "whole", "video/mp4", TRAINED, "whole")])
    other = sign_file(unsigned, tmp_path / "other-signed.mp4", spec, LocalKeySigner(load_credentials(chain, key)))
    lying = SqlRepository.at(tmp_path / "lying.sqlite")
    lying.add(other.store)
    with lying._engine().begin() as db:  # the copy's mark, filed under a video that does not carry it
        db.execute(BINDINGS.insert().values(alg=ALGORITHM, value=made.record["shots"][0]["watermark"], manifest_id=other.manifest_id))
    stripped = copies(made.video, tmp_path)["stripped"]
    run = run_cli("verify", "--json", str(stripped), "--repository", str(tmp_path / "lying.sqlite"), cache=cache_root)
    report = json.loads(run.stdout)
    assert run.code == 3 and report["state"] == "NoCredentials" and report["title"] is None
    assert report["watermark"]["refused"] == [other.manifest_id] and "refused" in report["message"]


def test_make_sidecar_keeps_the_credentials_beside_an_untouched_video(made, cache_root, tmp_path):
    shots = made.sidecar(".shots.yaml")
    out = tmp_path / "beside.mp4"
    run = run_cli("render", str(shots), "-o", str(out), "--sidecar", cache=cache_root)
    assert run.code == 0, run.stderr
    sidecar = tmp_path / "beside.c2pa"
    assert sidecar.is_file() and "beside.c2pa, beside the video" in run.stderr + run.stdout
    assert C2PA_UUID not in out.read_bytes()  # nothing of the manifest inside the MP4
    report = json.loads(run_cli("verify", "--json", str(out), "--repository", "off", cache=cache_root).stdout)
    assert report["state"] == "Trusted" and report["validation_codes"] == [] and "sidecar manifest beside.c2pa" in report["message"]
    sidecar.unlink()
    alone = run_cli("verify", "--json", str(out), "--repository", "off", cache=cache_root)
    assert alone.code == 3
    refused = run_cli("render", str(shots), "-o", str(tmp_path / "x.mp4"), "--sidecar", "--no-sign", cache=cache_root)
    assert refused.code == 2 and "--sidecar" in refused.stderr and not (tmp_path / "x.mp4").exists()


C2PA_UUID = bytes.fromhex("d8fec3d61b0e483c92975828877ec481")


@needs_fixtures
def test_a_folder_verifies_each_file_and_counts_them(made, cache_root, tmp_path):
    import shutil

    folder = tmp_path / "archive"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(made.video, folder / "signed.mp4")
    shutil.copy(FIXTURES / "c2pa" / "XCA.jpg", folder / "sub" / "tampered.jpg")
    (folder / "notes.txt").write_text("not a picture", encoding="utf-8")
    run = run_cli("verify", str(folder), "--repository", "off", cache=cache_root)
    lines = run.stdout.splitlines()
    assert lines[0].startswith("notes.txt: ") and lines[1].startswith("signed.mp4: Trusted Content Credentials")
    assert lines[2].startswith("sub/tampered.jpg: Invalid")
    assert lines[-1].startswith(f"3 files in {folder}: ") and "1 Trusted" in lines[-1] and "1 Invalid" in lines[-1]
    assert run.code == 1  # the worst of them: a file whose credentials do not hold
    report = json.loads(run_cli("verify", "--json", str(folder), "--repository", "off", cache=cache_root).stdout)
    assert report["schema"] == "explainer.verify-folder/1" and len(report["files"]) == 3
    assert report["counts"]["Trusted"] == 1 and report["files"][1]["schema"] == "explainer.verify-report/1"
    (folder / "sub" / "tampered.jpg").unlink()
    (folder / "notes.txt").unlink()
    assert run_cli("verify", str(folder), "--repository", "off", cache=cache_root).code == 0
