"""The newsroom service: a real server on 127.0.0.1, real HTTP, real renders, bounded loops."""

from __future__ import annotations

import json
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import httpx
import pytest

from .conftest import SHORT_ARTICLE, cli_env, run_cli

ARTICLE = SHORT_ARTICLE


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``explainer serve`` in a subprocess, with its data, cache and tokens in a temp folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.data = root / "data"
        self.cache = root / "cache"
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def token(self, name: str, role: str, *extra: str) -> str:
        run = run_cli("tokens", "create", name, "--role", role, "--data", str(self.data), *extra, cache=self.cache)
        assert run.code == 0, run.stderr
        return run.stdout.strip().splitlines()[-1]

    def start(self) -> "Server":
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "explainer", "serve", "--port", str(self.port), "--data", str(self.data), "--workers", "2"],
            stdout=subprocess.DEVNULL, stderr=open(self.root / "server.log", "ab"), env=cli_env(self.cache),
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/openapi.json", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.2)
        raise AssertionError("server did not start: " + (self.root / "server.log").read_text()[-500:])

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = Server(tmp_path_factory.mktemp("service"))
    srv.tokens = {"alice": srv.token("alice", "requester"), "bob": srv.token("bob", "requester"), "ed": srv.token("ed", "editor")}
    srv.start()
    yield srv
    srv.stop()


def client(server, who: str | None) -> httpx.Client:
    headers = {"Authorization": f"Bearer {server.tokens[who]}"} if who else {}
    return httpx.Client(base_url=server.url, headers=headers, timeout=30)


def wait_for(c: httpx.Client, job_id: str, statuses: set[str], timeout: float = 180) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = c.get(f"/v1/requests/{job_id}").json()
        if job["status"] in statuses:
            return job
        time.sleep(0.25)
    raise AssertionError(f"job {job_id} stuck in {job['status']}")


def test_token_is_printed_once_and_stored_hashed(server):
    with sqlite3.connect(server.data / "explainer.db") as db:
        stored = [row[0] for row in db.execute("select token_hash from tokens")]
    assert len(stored) == 3
    assert all(token not in stored for token in server.tokens.values())


def test_request_without_review_is_rendered_and_signed(server):
    with client(server, "alice") as c:
        r = c.post("/v1/requests", json={"text": ARTICLE, "length": 6, "review": False})
        assert r.status_code == 202 and r.json()["status"] == "queued"
        job = wait_for(c, r.json()["id"], {"done", "failed"})
        assert job["status"] == "done", job["error"]
        video = c.get(f"/v1/requests/{job['id']}/video")
        assert video.status_code == 200 and video.headers["content-type"] == "video/mp4" and video.content[4:8] == b"ftyp"
        assert c.get(f"/v1/requests/{job['id']}/captions.vtt").text.startswith("WEBVTT")
        assert c.get(f"/v1/requests/{job['id']}/captions.srt").text.startswith("1\n")
        report = c.get(f"/v1/requests/{job['id']}/provenance").json()
        assert report["state"] == "Trusted" and report["ai_generated"] is True


def test_review_edit_and_approval_are_recorded(server):
    import c2pa

    with client(server, "alice") as alice, client(server, "ed") as ed:
        job_id = alice.post("/v1/requests", json={"text": ARTICLE, "length": 8, "title": "Library hours"}).json()["id"]
        job = wait_for(alice, job_id, {"awaiting_review", "failed"})
        assert job["status"] == "awaiting_review"
        assert alice.post(f"/v1/requests/{job_id}/approve").status_code == 403
        script = ed.get(f"/v1/requests/{job_id}/script").json()["shotlist"]
        sheet = ed.get(f"/v1/requests/{job_id}/sheet.png")
        assert sheet.status_code == 200 and sheet.headers["content-type"] == "image/png" and sheet.content[:8] == b"\x89PNG\r\n\x1a\n"
        script["shots"][0]["on_screen_text"] = "Open late on Saturdays"
        put = ed.put(f"/v1/requests/{job_id}/script", json={"shotlist": script})
        assert put.status_code == 200 and put.json()["edited_by"] == "ed"
        # The sheet follows the script: drawn again after an edit, the old one gone.
        before = list((server.data / "jobs" / job_id).glob("sheet-*.png"))
        assert ed.get(f"/v1/requests/{job_id}/sheet.png").status_code == 200
        after = list((server.data / "jobs" / job_id).glob("sheet-*.png"))
        assert len(before) == len(after) == 1 and before != after
        bad = dict(script, shots=[dict(script["shots"][0], duration_s=-1)])
        assert ed.put(f"/v1/requests/{job_id}/script", json={"shotlist": bad}).status_code == 422
        assert ed.post(f"/v1/requests/{job_id}/approve").status_code == 200
        job = wait_for(alice, job_id, {"done", "failed"})
        assert job["status"] == "done" and job["approved_by"] == "ed"
    record = json.loads((server.data / "jobs" / job_id / "video.record.json").read_text())
    assert record["review"] == {"state": "approved", "editor": "ed", "edited_by": "ed"}
    with c2pa.Reader(str(server.data / "jobs" / job_id / "video.mp4")) as reader:
        assertions = {a["label"]: a["data"] for a in reader.get_active_manifest()["assertions"]}
    assert assertions["org.explainer.record"]["review"]["editor"] == "ed"
    assert assertions["org.explainer.shots"]["shots"][0]["on_screen_text"] == "Open late on Saturdays"


def test_request_media_and_the_organisation_brand(server, tmp_path):
    import io

    import yaml
    from PIL import Image

    kit = server.data / "brands" / "Oakdale Courier"
    kit.mkdir(parents=True)
    (kit / "brand.toml").write_text('name = "Oakdale Courier"\n[colours]\nbackground = "#0d2b45"\nbackground_end = "#061624"\n'
                                    'accent = "#ffd166"\ntext = "#ffffff"\nmuted = "#c8d6e5"\n[intro]\ntext = "The Oakdale Courier explains"\nseconds = 1.5\n')
    server.tokens["cora"] = server.token("cora", "requester", "--org", "Oakdale Courier")
    photo = io.BytesIO()
    Image.new("RGB", (1280, 720), (60, 90, 120)).save(photo, "JPEG")
    sidecar = yaml.safe_dump({"desk.jpg": {"caption": "Volunteers from Oakdale College at the new homework help desk",
                                           "credit": "Ana Ruiz / Oakdale Courier"}})
    with client(server, "cora") as cora, client(server, "ed") as ed:
        bad = cora.post("/v1/requests", files=[("file", ("story.md", ARTICLE, "text/markdown")),
                                               ("media", ("notes.txt", b"not a photo", "text/plain"))])
        assert bad.status_code == 422
        assert bad.json()["detail"] == "media: no JPEG, PNG or MP4 files in it; add the photos and clips to use"
        r = cora.post("/v1/requests", data={"length": "24"}, files=[
            ("file", ("story.md", ARTICLE, "text/markdown")),
            ("media", ("desk.jpg", photo.getvalue(), "image/jpeg")), ("media", ("media.yaml", sidecar, "text/yaml"))])
        assert r.status_code == 202, r.text
        job = wait_for(cora, r.json()["id"], {"awaiting_review", "failed"})
        assert job["status"] == "awaiting_review", job["error"]
        assert job["options"]["organisation"] == "Oakdale Courier" and job["options"]["media"]["files"] == ["desk.jpg"]
        script = ed.get(f"/v1/requests/{job['id']}/script").json()["shotlist"]
        shown = [s for s in script["shots"] if s["kind"] == "media"]
        assert [s["media"] for s in shown] == ["desk"] and "homework help desk" in shown[0]["narration"]
        # An editor cannot point the script at another file on the server.
        stolen = dict(script, media=[dict(script["media"][0], path="/etc/hostname")])
        refused = ed.put(f"/v1/requests/{job['id']}/script", json={"shotlist": stolen})
        assert refused.status_code == 422 and "was not sent with this request" in refused.json()["detail"]
        assert ed.post(f"/v1/requests/{job['id']}/approve").status_code == 200
        job = wait_for(cora, job["id"], {"done", "failed"})
        assert job["status"] == "done", job["error"]
        report = cora.get(f"/v1/requests/{job['id']}/provenance").json()
    record = json.loads((server.data / "jobs" / job["id"] / "video.record.json").read_text())
    assert record["renderer"]["brand"]["name"] == "Oakdale Courier"
    assert any(i["title"] == "desk.jpg (supplied photo)" for i in report["ingredients"])
    assert any(i["title"] == "intro footage" for i in report["ingredients"])


def test_auth_ownership_and_bad_requests_get_clear_4xx(server):
    with client(server, None) as anonymous:
        assert anonymous.get("/v1/requests").status_code == 401
    with httpx.Client(base_url=server.url, headers={"Authorization": "Bearer nope"}) as wrong:
        assert wrong.get("/v1/requests").status_code == 401
    with client(server, "alice") as alice, client(server, "bob") as bob:
        job_id = alice.post("/v1/requests", json={"text": ARTICLE, "length": 5}).json()["id"]
        assert bob.get(f"/v1/requests/{job_id}").status_code == 404
        assert job_id not in [j["id"] for j in bob.get("/v1/requests").json()["requests"]]
        assert alice.get("/v1/requests/..%2F..%2Fexplainer.db").status_code == 404
        assert alice.get("/v1/requests/../../etc/passwd/video").status_code == 404
        r = alice.post("/v1/requests", content=b'{"text": "unterminated', headers={"Content-Type": "application/json"})
        assert r.status_code == 422 and r.json()["detail"].startswith("malformed JSON")
        r = alice.post("/v1/requests", json={"text": ARTICLE, "colour": "red"})
        assert r.status_code == 422 and "colour: unknown field" in r.json()["detail"]
        r = alice.post("/v1/requests", files={"file": ("big.txt", b"a" * (3 * 1024 * 1024), "text/plain")})
        assert r.status_code == 413
        r = alice.post("/v1/requests", files={"file": ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(200), "text/plain")})
        assert r.status_code == 415 and "binary" in r.json()["detail"]
        r = alice.post("/v1/requests", files={"file": ("story.md", ARTICLE.encode(), "text/markdown")}, data={"length": "5"})
        assert r.status_code == 202
        r = alice.post("/v1/requests", content=b"text", headers={"Content-Type": "application/xml"})
        assert r.status_code == 415
        assert alice.get("/v1/requests").status_code == 200  # still serving


class _Hook(BaseHTTPRequestHandler):
    received: list[dict] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["content-length"]))
        _Hook.received.append(json.loads(body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_webhook_is_called_on_completion(server):
    hook = HTTPServer(("127.0.0.1", 0), _Hook)
    threading.Thread(target=hook.serve_forever, daemon=True).start()
    try:
        with client(server, "alice") as c:
            url = f"http://127.0.0.1:{hook.server_address[1]}/done"
            job_id = c.post("/v1/requests", json={"text": ARTICLE, "length": 5, "review": False, "webhook_url": url}).json()["id"]
            wait_for(c, job_id, {"done", "failed"})
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and not any(p["id"] == job_id for p in _Hook.received):
                time.sleep(0.1)
        payload = next(p for p in _Hook.received if p["id"] == job_id)
        assert payload["status"] == "done" and payload["owner"] == "alice"
    finally:
        hook.shutdown()


def test_fifty_concurrent_requests_all_complete(server):
    results: list[httpx.Response] = []
    lock = threading.Lock()

    def post(n: int) -> None:
        with client(server, "alice") as c:
            r = c.post("/v1/requests", json={"text": ARTICLE, "length": 4, "review": False, "title": f"load {n}"})
        with lock:
            results.append(r)

    threads = [threading.Thread(target=post, args=(n,)) for n in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert [r.status_code for r in results] == [202] * 50
    ids = {r.json()["id"] for r in results}
    assert len(ids) == 50
    with client(server, "alice") as c:
        for job_id in ids:
            assert wait_for(c, job_id, {"done", "failed"}, timeout=600)["status"] == "done"
    assert all((server.data / "jobs" / i / "video.mp4").is_file() for i in ids)


def test_sigkill_mid_render_then_restart_finishes_once(tmp_path):
    srv = Server(tmp_path)
    srv.tokens = {"alice": srv.token("alice", "requester")}
    srv.start()
    try:
        with client(srv, "alice") as c:
            job_id = c.post("/v1/requests", json={"text": ARTICLE, "length": 40, "review": False}).json()["id"]
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                job = c.get(f"/v1/requests/{job_id}").json()
                finished = [p for p in srv.cache.rglob("*.mp4") if not p.name.startswith(".")]
                if job["status"] == "rendering" and finished:
                    break
                time.sleep(0.05)
            assert job["status"] == "rendering", job
        srv.kill()
        srv.start()
        with client(srv, "alice") as c:
            job = wait_for(c, job_id, {"done", "failed"})
            assert job["status"] == "done" and job["attempts"] == 2
            assert len(c.get("/v1/requests").json()["requests"]) == 1
        files = sorted(p.name for p in (srv.data / "jobs" / job_id).iterdir())
        assert files == ["video.descriptions.vtt", "video.mp4", "video.record.json", "video.shots.yaml", "video.srt", "video.vtt"]
        record = json.loads((srv.data / "jobs" / job_id / "video.record.json").read_text())
        assert any(s["video_cached"] for s in record["shots"])  # resumed from the shots made before the kill
    finally:
        srv.stop()
