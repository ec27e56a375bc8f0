"""Content Credentials: sign on make, verify anything, catch tampering, bad keys, corrections."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
import os
import shutil
import struct
import subprocess

import av
import pytest

from explainer.assembly.media import ffmpeg_exe
from provenance import CallbackSigner, Component, CredentialError, ManifestSpec, TRAINED, load_credentials, sign_file, verify

from .conftest import needs_fixtures, CONFIG, FIXTURES, SHORT_ARTICLE, run_cli
from .keys_helpers import make_chain, signing_key

C2PA_UUID = bytes.fromhex("d8fec3d61b0e483c92975828877ec481")  # the ISO BMFF box type C2PA uses
AI = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"


def _verify_json(path, cache, *extra, config=None):
    run = run_cli("verify", str(path), "--json", *extra, cache=cache, config=config)
    return run.code, json.loads(run.stdout) if run.stdout.strip().startswith("{") else None, run


def test_made_video_verifies_trusted_with_its_shots_and_source(made, cache_root):
    code, report, _ = _verify_json(made.video, cache_root)
    assert code == 0
    assert report["state"] == "Trusted"
    assert report["ai_generated"] is True
    assert AI in report["digital_source_types"]
    assert report["signer"]["common_name"] == "Explainer local signer"
    assert report["claim_generator"].startswith("Explainer ")
    assert report["validation_codes"] == []
    assert report["source"]["sha256"] == hashlib.sha256(SHORT_ARTICLE.encode()).hexdigest()
    relationships = [i["relationship"] for i in report["ingredients"]]
    shots = report["shots"]["shots"]
    assert relationships.count("inputTo") == 1
    assert relationships.count("componentOf") == 2 * len(shots)  # footage + narration per shot
    sentences = report["shots"]["source_sentences"]
    for shot in shots:
        assert shot["narration"] == " ".join(sentences[ref] for ref in shot["source_refs"])
    assert made.record["signed"] is True and "sign" in made.record["timings_s"]


def test_human_summary_reads_plainly(made, cache_root):
    run = run_cli("verify", str(made.video), cache=cache_root)
    assert run.code == 0
    assert run.stdout.startswith("Trusted Content Credentials: AI-generated content")
    assert "AI-generated: yes" in run.stdout
    assert "Altered after signing: no" in run.stdout
    assert "s1: The Oakdale Public Library" in run.stdout


def test_verify_shows_the_whole_record(made, cache_root):
    """Who wrote the script, what it was made from, each part's AI marking, and the
    training-and-data-mining rule (not allowed unless the settings say otherwise)."""
    code, report, _ = _verify_json(made.video, cache_root)
    assert code == 0
    assert report["planner"]["name"] == "extractive" and report["planner"]["fallback_from"] is None
    assert report["sources"][0]["sha256"] == hashlib.sha256(SHORT_ARTICLE.encode()).hexdigest()
    assert report["training_mining"] == {use: "notAllowed" for use in (
        "cawg.ai_generative_training", "cawg.ai_inference", "cawg.ai_training", "cawg.data_mining")}
    # Each part carries its own marking, not only the whole: cards by an algorithm, the voice by a model.
    parts = {i["title"]: i["digital_source_type"] for i in report["ingredients"] if i["relationship"] == "componentOf"}
    assert parts and all(parts.values())
    assert parts["shot-01 footage"].endswith("/algorithmicMedia") and parts["shot-01 narration"] == AI
    shown = run_cli("verify", str(made.video), cache=cache_root).stdout
    assert "Script written by: extractive" in shown
    assert "AI training and data mining: not allowed (generative AI training, AI inference, AI training, data mining)" in shown
    assert f"Source: {report['sources'][0]['title']}" in shown


def test_elsewhere_it_reads_valid_but_untrusted(made, cache_root, tmp_path):
    elsewhere = tmp_path / "other-machine"
    code, report, _ = _verify_json(made.video, cache_root, config=elsewhere)
    assert (code, report["state"]) == (0, "Valid")
    assert "signingCredential.untrusted" in report["validation_codes"]
    code, _, _ = _verify_json(made.video, cache_root, "--require-trusted", config=elsewhere)
    assert code == 1
    anchors = CONFIG / "keys" / "root-ca.pem"
    code, report, _ = _verify_json(made.video, cache_root, "--trust-anchors", str(anchors), config=elsewhere)
    assert (code, report["state"]) == (0, "Trusted")


def test_verify_refuses_what_it_cannot_use_and_its_json_follows_its_schema(made, cache_root, tmp_path):
    import jsonschema

    der = tmp_path / "root.der"
    der.write_bytes(b"0\x82\x01\x0a not a PEM file")
    refused = run_cli("verify", str(made.video), "--trust-anchors", str(der), cache=cache_root)
    assert refused.code == 2 and "holds no PEM certificate" in refused.stderr and "Traceback" not in refused.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    folder = run_cli("verify", str(empty), cache=cache_root)
    assert folder.code == 2 and "holds no files to verify" in folder.stderr
    code, report, _ = _verify_json(made.video, cache_root)
    schema = json.loads((Path(__file__).parents[1] / "docs" / "verify-report.schema.json").read_text())
    assert report["schema"] == schema["$id"] == "explainer.verify-report/1"
    jsonschema.validate(report, schema)
    # The committed schemas are the reports' own (regenerate: python -m provenance.verify docs/).
    from provenance.verify import report_schemas

    for name, generated in report_schemas().items():
        assert json.loads((Path(__file__).parents[1] / "docs" / name).read_text()) == generated, name


def _flip_byte_in_stream(path, kind: str) -> None:
    """Corrupt one byte inside the first packet of a stream (its real media data)."""
    with av.open(str(path)) as container:
        stream = next(s for s in container.streams if s.type == kind)
        packet = next(p for p in container.demux(stream) if p.pos is not None and p.size > 16)
        offset = packet.pos + packet.size // 2
    data = bytearray(path.read_bytes())
    data[offset] ^= 0xFF
    path.write_bytes(bytes(data))


def _boxes(data: bytes):
    offset = 0
    while offset + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[offset : offset + 8])
        if size < 8:
            break
        yield kind, offset, size
        offset += size


@pytest.fixture
def copy_of(made, tmp_path):
    def copy(name: str):
        target = tmp_path / name
        shutil.copy(made.video, target)
        return target

    return copy


def test_flipped_video_byte_is_invalid(copy_of, cache_root):
    video = copy_of("flipped.mp4")
    _flip_byte_in_stream(video, "video")
    code, report, _ = _verify_json(video, cache_root)
    assert (code, report["state"]) == (1, "Invalid")
    assert "assertion.bmffHash.mismatch" in report["validation_codes"]


def test_replaced_audio_is_invalid(copy_of, cache_root):
    video = copy_of("audio.mp4")
    _flip_byte_in_stream(video, "audio")
    code, report, _ = _verify_json(video, cache_root)
    assert (code, report["state"]) == (1, "Invalid")
    assert "assertion.bmffHash.mismatch" in report["validation_codes"]


def test_remux_with_new_audio_strips_the_credentials(made, cache_root, tmp_path, own_repository):
    remuxed = tmp_path / "remuxed.mp4"
    subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-i", str(made.video), "-f", "lavfi", "-i", "sine=frequency=440:duration=3",
         "-map", "0:v", "-map", "1:a", "-c:v", "copy", "-c:a", "aac", "-shortest", str(remuxed)],
        check=True,
    )
    code, report, _ = _verify_json(remuxed, cache_root, "--repository", "off")
    assert (code, report["state"]) == (3, "NoCredentials")
    assert report["validation_codes"] == ["ManifestNotFound"]
    # The frames still carry the watermark: a repository gives the credentials back.
    code, report, _ = _verify_json(remuxed, cache_root, "--repository", str(own_repository))
    assert (code, report["state"]) == (5, "Recovered")
    assert report["title"] == made.record["shotlist"]["title"] and report["watermark"]["identifier"] == made.record["shots"][0]["watermark"]
    # The session's repository holds other renders of this article sharing these 3 s of
    # footage: it names none of them rather than the wrong one.
    code, report, _ = _verify_json(remuxed, cache_root)
    assert (code, report["state"]) in ((5, "Recovered"), (6, "Ambiguous"))
    if code == 6:
        assert made.record["repository"]["manifest_id"] in report["watermark"]["candidates"]


def test_plain_remux_strips_the_manifest(made, cache_root, tmp_path):
    remuxed = tmp_path / "copy.mp4"
    subprocess.run([ffmpeg_exe(), "-v", "error", "-i", str(made.video), "-map", "0", "-c", "copy", str(remuxed)], check=True)
    code, report, _ = _verify_json(remuxed, cache_root, "--repository", "off")
    assert (code, report["state"]) == (3, "NoCredentials")


def test_truncated_file_is_invalid(copy_of, cache_root):
    video = copy_of("truncated.mp4")
    data = video.read_bytes()
    video.write_bytes(data[: len(data) * 2 // 3])
    code, report, _ = _verify_json(video, cache_root)
    assert (code, report["state"]) == (1, "Invalid")
    assert "assertion.bmffHash.mismatch" in report["validation_codes"]


def test_manifest_copied_onto_another_video_is_invalid(made, cache_root, tmp_path):
    signed = made.video.read_bytes()
    manifest_box = next(signed[o : o + n] for kind, o, n in _boxes(signed) if kind == b"uuid" and signed[o + 8 : o + 24] == C2PA_UUID)
    other = tmp_path / "other.mp4"
    subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=30:duration=2",
         "-c:v", "libx264", "-pix_fmt", "yuv420p", "-movflags", "+faststart", str(other)],
        check=True,
    )
    data = other.read_bytes()
    ftyp_end = next(o + n for kind, o, n in _boxes(data) if kind == b"ftyp")
    # Chunk offsets in moov move by the inserted size; fix them so the video still plays.
    forged = bytearray(data[:ftyp_end] + manifest_box + data[ftyp_end:])
    shift = len(manifest_box)
    pos = forged.find(b"stco")
    while pos != -1:
        count = struct.unpack(">I", forged[pos + 8 : pos + 12])[0]
        for i in range(count):
            at = pos + 12 + 4 * i
            forged[at : at + 4] = struct.pack(">I", struct.unpack(">I", forged[at : at + 4])[0] + shift)
        pos = forged.find(b"stco", pos + 4)
    forged_path = tmp_path / "forged.mp4"
    forged_path.write_bytes(bytes(forged))
    code, report, _ = _verify_json(forged_path, cache_root)
    assert (code, report["state"]) == (1, "Invalid")
    assert "assertion.bmffHash.mismatch" in report["validation_codes"]


@pytest.mark.parametrize(
    ("name", "state", "code", "exit_code"),
    [
        ("C.jpg", "Valid", "signingCredential.untrusted", 0),
        ("XCA.jpg", "Invalid", "assertion.dataHash.mismatch", 1),
        ("sample1_signed.wav", "Valid", "signingCredential.untrusted", 0),
        ("A.jpg", "NoCredentials", "ManifestNotFound", 3),
    ],
)
def test_files_made_by_others(name, state, code, exit_code, cache_root, tmp_path):
    fixture = FIXTURES / "c2pa" / name
    if not fixture.is_file():
        pytest.skip(f"shared fixtures not beside the repository ({fixture})")
    got, report, _ = _verify_json(fixture, cache_root, config=tmp_path)
    assert (got, report["state"]) == (exit_code, state)
    assert code in report["validation_codes"]


def test_unsupported_and_remote_files_are_unreadable(cache_root, tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("just text")
    code, report, _ = _verify_json(text, cache_root)
    assert (code, report["state"]) == (4, "Unreadable")
    assert "does not support this file type" in report["message"]


def test_remote_manifest_is_unreadable_offline(tmp_path):
    import c2pa

    chain, key, root = make_chain(tmp_path)
    credentials = load_credentials(chain, key)
    builder = c2pa.Builder(
        {"title": "remote", "format": "image/jpeg", "claim_generator_info": [{"name": "t", "version": "1"}],
         "assertions": [{"label": "c2pa.actions.v2", "data": {"actions": [{"action": "c2pa.created", "digitalSourceType": TRAINED}]}}]}
    )
    builder.set_no_embed()
    builder.set_remote_url("http://127.0.0.1:9/manifest.c2pa")
    jpeg = tmp_path / "remote.jpg"
    subprocess.run([ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i", "testsrc=size=64x64", "-frames:v", "1", str(tmp_path / "plain.jpg")], check=True)
    signer = c2pa.Signer.from_info(c2pa.C2paSignerInfo(b"es256", credentials.chain_pem, credentials.key_pem, None))
    with (tmp_path / "plain.jpg").open("rb") as src, jpeg.open("wb") as dst:
        builder.sign(signer, "image/jpeg", src, dst)
    report = verify(jpeg)
    assert report.state == "Unreadable" and report.exit_code() == 4
    assert "stored remotely" in report.message


def test_keys_init_and_show(tmp_path):
    config = tmp_path / "config"
    run = run_cli("keys", "init", cache=tmp_path / "cache", config=config)
    assert run.code == 0, run.stderr
    key = config / "keys" / "signer.key"
    assert oct(key.stat().st_mode & 0o777) == "0o600"
    assert oct((config / "keys" / "root-ca.key").stat().st_mode & 0o777) == "0o600"
    show = run_cli("keys", "show", cache=tmp_path / "cache", config=config)
    assert show.code == 0
    assert "CN=Explainer local signer" in show.stdout
    assert "fingerprint: SHA256 " in show.stdout and str(key) in show.stdout
    again = run_cli("keys", "init", cache=tmp_path / "cache", config=config)
    assert again.code == 2 and "already exists" in again.stderr and "--force" in again.stderr


@pytest.mark.parametrize(
    ("flaw", "needle"),
    [
        ({"self_signed": True}, "is self-signed"),
        ({"expired": True}, "expired on"),
        ({"wrong_key": True}, "does not belong to the certificate"),
        ({"password": b"right"}, "wrong password"),
    ],
    ids=["self-signed", "expired", "mismatched-key", "wrong-password"],
)
def test_bad_credentials_fail_before_rendering(tmp_path, flaw, needle):
    chain, key, _ = make_chain(tmp_path, **flaw)
    article = tmp_path / "a.md"
    article.write_text(SHORT_ARTICLE)
    cache = tmp_path / "cache"
    env = {"EXPLAINER_SIGN_KEY_PASSWORD": "wrong"} if "password" in flaw else {}
    run = run_cli("make", str(article), "-o", str(tmp_path / "out.mp4"), "--sign-cert", str(chain), "--sign-key", str(key),
                  cache=cache, env=env)
    assert run.code == 2, run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0] and "Traceback" not in run.stderr
    assert not (tmp_path / "out.mp4").exists()
    assert not cache.exists()  # refused before any narration or rendering


def test_own_chain_with_password_signs(tmp_path):
    chain, key, root = make_chain(tmp_path, password=b"s3cret")
    article = tmp_path / "a.md"
    article.write_text(SHORT_ARTICLE)
    out = tmp_path / "own.mp4"
    run = run_cli("make", str(article), "-o", str(out), "--length", "8", "--sign-cert", str(chain), "--sign-key", str(key),
                  cache=tmp_path / "cache", env={"EXPLAINER_SIGN_KEY_PASSWORD": "s3cret"})
    assert run.code == 0, run.stderr
    code, report, _ = _verify_json(out, tmp_path / "cache", "--trust-anchors", str(root))
    assert report["state"] == "Trusted" and report["signer"]["common_name"] == "Test Signer"


def test_callback_signer_signs_like_a_kms(tmp_path, made):
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec

    chain, key_path, root = make_chain(tmp_path)
    key = signing_key(key_path)
    calls = []

    def remote_sign(data: bytes) -> bytes:
        calls.append(len(data))
        return key.sign(data, ec.ECDSA(hashes.SHA256()))

    signer = CallbackSigner(chain.read_bytes(), remote_sign, "es256")
    spec = ManifestSpec(
        title="Callback", format="video/mp4", software_name="Explainer", software_version="test",
        components=[Component(made.video, "whole", "video/mp4", TRAINED, "whole")],
    )
    unsigned = tmp_path / "unsigned.mp4"
    subprocess.run([ffmpeg_exe(), "-v", "error", "-i", str(made.video), "-map", "0", "-c", "copy", str(unsigned)], check=True)
    out = tmp_path / "callback.mp4"
    sign_file(unsigned, out, spec, signer)
    assert calls, "the callback was never asked to sign"
    report = verify(out, anchors_pem=root.read_text())
    assert report.state == "Trusted" and report.ai_generated is True


def test_custom_assertions_read_back_exactly_as_signed(tmp_path, made):
    """Every JSON type in our signed record comes back unchanged: small-int lists (a render
    size) once came back as base64, because the C2PA library's plain JSON report takes number
    arrays for byte strings; we read our assertions from its crJSON report."""
    chain, key_path, root = make_chain(tmp_path)
    key = signing_key(key_path)
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec

    signer = CallbackSigner(chain.read_bytes(), lambda data: key.sign(data, ec.ECDSA(hashes.SHA256())), "es256")
    record = {
        "size": [1280, 720], "bytes_like": [0, 1, 2, 255], "empty": [], "floats": [0.5, -1.25, 1e-9],
        "big": 2**53 + 1, "negative": -7, "flag": True, "nothing": None,
        "nested": {"shots": [{"id": "shot-01", "frames": 150, "refs": ["s1", "s2"]}], "deep": {"a": {"b": [1, [2, [3]]]}}},
        "text": "Zürich — 東京 — «quote» — emoji 🎬",
    }
    spec = ManifestSpec(
        title="Round trip", format="video/mp4", software_name="Explainer", software_version="test",
        components=[Component(made.video, "whole", "video/mp4", TRAINED, "whole")],
        assertions={"org.explainer.record": record},
    )
    unsigned = tmp_path / "unsigned.mp4"
    subprocess.run([ffmpeg_exe(), "-v", "error", "-i", str(made.video), "-map", "0", "-c", "copy", str(unsigned)], check=True)
    out = tmp_path / "round-trip.mp4"
    sign_file(unsigned, out, spec, signer)
    assert verify(out, anchors_pem=root.read_text()).state == "Trusted"
    from provenance import read_assertions

    assert read_assertions(out)["org.explainer.record"] == record


def test_callback_signer_checks_its_chain(tmp_path):
    chain, _, _ = make_chain(tmp_path, expired=True)
    with pytest.raises(CredentialError, match="expired"):
        CallbackSigner(chain.read_bytes(), lambda data: b"", "es256")


def test_failed_signing_leaves_no_file(tmp_path):
    from explainer.cache import Cache
    from explainer.outputs import OutputPaths
    from explainer.pipeline import Pipeline
    from explainer.planning import PlanSettings, get_planner
    from explainer.rendering import get_renderer
    from explainer.sources import parse_source
    from provenance import SigningError
    from voices import PiperNarrator, resolve_voice

    chain, _, _ = make_chain(tmp_path)

    def unavailable(data: bytes) -> bytes:
        raise ConnectionError("signing service unavailable")

    pipeline = Pipeline(
        planner=get_planner("extractive"), narrator=PiperNarrator(resolve_voice("joe")), renderer=get_renderer("cards"),
        cache=Cache(tmp_path / "cache"), signer=CallbackSigner(chain.read_bytes(), unavailable),
    )
    shotlist = pipeline.plan(parse_source(SHORT_ARTICLE.encode(), "a.md"), PlanSettings(length_s=8))
    out = tmp_path / "out" / "story.mp4"
    out.parent.mkdir()
    with pytest.raises(SigningError):
        pipeline.render(shotlist, OutputPaths.for_video(out))
    assert os.listdir(out.parent) == []


def test_no_sign_makes_a_loud_draft(tmp_path, cache_root):
    article = tmp_path / "a.md"
    article.write_text(SHORT_ARTICLE)
    out = tmp_path / "draft.mp4"
    run = run_cli("make", str(article), "-o", str(out), "--length", "8", "--no-sign", "-q", cache=cache_root)
    assert run.code == 0
    assert "UNSIGNED DRAFT" in run.stderr
    code, report, _ = _verify_json(out, cache_root)
    assert (code, report["state"]) == (3, "NoCredentials")
    assert json.loads((tmp_path / "draft.record.json").read_text())["signed"] is False


def test_correction_names_the_video_it_corrects(made, cache_root, tmp_path):
    fixed = tmp_path / "fixed.md"
    fixed.write_text(SHORT_ARTICLE.replace("$42,000", "$48,000"))
    out = tmp_path / "fixed.mp4"
    run = run_cli("make", str(fixed), "-o", str(out), "--length", "25", "--corrects", str(made.video),
                  "--correction-note", "The grant is $48,000, not $42,000.", cache=cache_root)
    assert run.code == 0, run.stderr
    code, report, _ = _verify_json(out, cache_root)
    assert (code, report["state"]) == (0, "Trusted")
    assert report["corrects"]["title"] == "Library extends weekend hours"
    assert report["corrects"]["signed_at"]
    assert report["corrects"]["note"] == "The grant is $48,000, not $42,000."
    parent = next(i for i in report["ingredients"] if i["relationship"] == "parentOf")
    assert (parent["title"], parent["format"]) == ("library.mp4", "video/mp4")
    # The earlier video's own credentials ride along as the parent's manifest.
    assert parent["credentials"]["signer"] == "Explainer local signer"
    human = run_cli("verify", str(out), cache=cache_root).stdout
    assert "Corrects: Library extends weekend hours, signed 20" in human


def test_corrects_needs_a_signed_video(tmp_path, cache_root):
    article = tmp_path / "a.md"
    article.write_text(SHORT_ARTICLE)
    plain = tmp_path / "plain.mp4"
    plain.write_bytes(b"\x00\x00\x00\x18ftypisom" + bytes(100))
    run = run_cli("make", str(article), "-o", str(tmp_path / "o.mp4"), "--corrects", str(plain), cache=cache_root)
    assert run.code == 2 and "has no readable Content Credentials" in run.stderr


def _with_identity(tmp_path: Path) -> tuple[Path, Path]:
    """A JPEG signed by one party and vouched for by a CAWG X.509 identity assertion of another,
    as the C2PA library writes them; returns it and the identity's root certificate."""
    import c2pa

    from provenance.identity import local_paths
    from provenance.trust import c2pa_settings

    chain, key, root = local_paths(CONFIG / "keys")
    (tmp_path / "who").mkdir()
    who_chain, who_key, who_root = make_chain(tmp_path / "who")
    settings = c2pa_settings(root.read_text())
    settings["signer"] = {"local": {"alg": "es256", "sign_cert": chain.read_text(), "private_key": key.read_text()}}
    settings["cawg_x509_signer"] = {"local": {"alg": "es256", "sign_cert": who_chain.read_text(), "private_key": who_key.read_text(),
                                              "referenced_assertions": ["c2pa.actions"]}}
    context = c2pa.Context(settings=c2pa.Settings.from_dict(settings))
    # The library signs with the settings' signer (which is what adds the identity assertion);
    # the binding marks a context as having one only when a Signer object is passed.
    context._has_signer = True
    definition = {"claim_generator_info": [{"name": "newsroom-camera-app", "version": "1"}], "title": "Photo", "format": "image/jpeg",
                  "assertions": [{"label": "c2pa.actions", "data": {"actions": [{"action": "c2pa.created", "digitalSourceType": AI}]}}]}
    out = tmp_path / "with-identity.jpg"
    with c2pa.Builder(definition, context=context) as builder, (FIXTURES / "c2pa" / "A.jpg").open("rb") as src, out.open("w+b") as dst:
        builder.sign("image/jpeg", src, dst)
    return out, who_root


@needs_fixtures
def test_a_cawg_identity_is_shown_with_who_and_whether_it_holds(cache_root, tmp_path):
    photo, who_root = _with_identity(tmp_path)
    code, report, run = _verify_json(photo, cache_root)
    assert code == 0 and report["state"] == "Valid", report["message"]
    [identity] = report["identities"]
    assert (identity["name"], identity["organization"], identity["sig_type"]) == ("Test Signer", "Test Newsroom", "cawg.x509.cose")
    assert identity["state"] == "valid" and identity["codes"] == ["cawg.x509.credential.untrusted"]
    assert "a trusted signer; the identity of Test Signer is signed but its credential is not on a trust list" in report["message"]
    human = run_cli("verify", str(photo), cache=cache_root).stdout
    assert "Identity: Test Signer (Test Newsroom), X.509 certificate, valid: its certificate is not on a trust list" in human
    # The C2PA library (0.38) judges identity credentials against a CAWG trust list that its
    # per-reader settings do not reach: even the identity's own root as an anchor leaves it
    # untrusted, and verify reports the library's verdict rather than one of its own.
    code, report, _ = _verify_json(photo, cache_root, "--trust-anchors", str(who_root))
    assert code == 0 and report["identities"][0]["codes"] == ["cawg.x509.credential.untrusted"]
