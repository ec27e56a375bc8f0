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

from .conftest import SHORT_ARTICLE, cli_env, processes, run_cli

ARTICLE = SHORT_ARTICLE


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``explainer serve`` in a subprocess, with its data, cache and tokens in a temp folder."""

    def __init__(self, root: Path, *, database: str | None = None, lease: float | None = None, shares: "Server | None" = None,
                 name: str = "server", ray: str | None = None, quotas: tuple[str, ...] = ("--quota-jobs", "0", "--quota-minutes", "0")) -> None:
        self.root = root
        # A second process of the same service shares the first one's data and cache folders.
        self.data = shares.data if shares else root / "data"
        self.cache = shares.cache if shares else root / "cache"
        self.extra = ((["--database", database] if database else []) + (["--lease", str(lease)] if lease else [])
                      + (["--ray", ray] if ray else []))
        # The load tests send fifty requests at once; the quota test sets its own.
        self.quotas = list(quotas)
        self.log = root / f"{name}.log"
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def token(self, name: str, role: str, *extra: str) -> str:
        database = self.extra[1:2] if self.extra[:1] == ["--database"] else []
        run = run_cli("tokens", "create", name, "--role", role, "--data", str(self.data), *(["--database", *database] if database else []),
                      *extra, cache=self.cache)
        assert run.code == 0, run.stderr
        return run.stdout.strip().splitlines()[-1]

    def start(self) -> "Server":
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "explainer", "serve", "--port", str(self.port), "--data", str(self.data), "--workers", "2",
             "--webhook-allow", "127.0.0.1", *self.extra, *self.quotas],
            stdout=subprocess.DEVNULL, stderr=open(self.log, "ab"), env=cli_env(self.cache),
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/openapi.json", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.2)
            if self.proc.poll() is not None:
                break
        raise AssertionError("server did not start: " + self.log.read_text()[-500:])

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
    srv.tokens = {"alice": srv.token("alice", "requester"), "bob": srv.token("bob", "requester"), "ed": srv.token("ed", "editor"),
                  "root": srv.token("root", "admin")}
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


def approve(editor: httpx.Client, job_id: str) -> httpx.Response:
    """Approve the script as the editor reads it now: its version and sha256."""
    script = editor.get(f"/v1/requests/{job_id}/script").json()
    return editor.post(f"/v1/requests/{job_id}/approve", json={"version": script["version"], "sha256": script["sha256"]})


def test_token_is_printed_once_and_stored_hashed(server):
    with sqlite3.connect(server.data / "explainer.db") as db:
        stored = [row[0] for row in db.execute("select token_hash from tokens")]
    assert len(stored) == 4
    assert all(token not in stored for token in server.tokens.values())


def test_review_is_waived_only_by_an_editor_and_the_record_says_who(server):
    with client(server, "alice") as alice:
        r = alice.post("/v1/requests", json={"text": ARTICLE, "length": 6, "review": False})
        assert r.status_code == 403
        assert r.json()["detail"] == "review: this newsroom requires editorial review; only an editor or admin can waive it"
    with client(server, "ed") as c:
        r = c.post("/v1/requests", json={"text": ARTICLE, "length": 6, "review": False})
        assert r.status_code == 202 and r.json()["status"] == "queued"
        job = wait_for(c, r.json()["id"], {"done", "failed"})
        assert job["status"] == "done", job["error"]
        assert (job["review"], job["waived_by"], job["approved_by"]) == ("waived", "ed", None)
        video = c.get(f"/v1/requests/{job['id']}/video")
        assert video.status_code == 200 and video.headers["content-type"] == "video/mp4" and video.content[4:8] == b"ftyp"
        assert c.get(f"/v1/requests/{job['id']}/captions.vtt").text.startswith("WEBVTT")
        assert c.get(f"/v1/requests/{job['id']}/captions.srt").text.startswith("1\n")
        report = c.get(f"/v1/requests/{job['id']}/provenance").json()
        assert report["state"] == "Trusted" and report["ai_generated"] is True
        review = report["review"]
        assert (review["state"], review["waived_by"], review["role"]) == ("waived", "ed", "editor")
    video = server.data / "jobs" / job["id"] / "video.mp4"
    shown = run_cli("verify", str(video), cache=server.cache)
    assert f"Editorial review: waived by ed (editor) on {review['waived_at']} (rendered without review)" in shown.stdout
    with client(server, "root") as admin, client(server, "alice") as alice:
        entries = admin.get("/v1/audit", params={"job": job["id"]}).json()["entries"]
        assert [(e["action"], e["actor_name"], e["role"]) for e in entries] == [
            ("submit", "ed", "editor"), ("waive", "ed", "editor"), ("download", "ed", "editor")]
        assert alice.get("/v1/audit").status_code == 403


def test_review_edit_and_approval_are_recorded(server):
    from provenance import read_assertions

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
        assert approve(ed, job_id).status_code == 200
        job = wait_for(alice, job_id, {"done", "failed"})
        assert job["status"] == "done" and job["approved_by"] == "ed" and job["review"] == "approved"
        assert job["attempts"] == 1  # planned, reviewed, rendered: one attempt, no retry
    with client(server, "root") as admin:
        actions = [(e["action"], e["actor_name"]) for e in admin.get("/v1/audit", params={"job": job_id}).json()["entries"]]
    assert actions == [("submit", "alice"), ("edit", "ed"), ("approve", "ed")]
    record = json.loads((server.data / "jobs" / job_id / "video.record.json").read_text())
    review = record["review"]
    # Who approved, in which role, when, and which version of the script: the edited one.
    assert (review["state"], review["editor"], review["role"], review["edited_by"], review["script_version"]) == (
        "approved", "ed", "editor", "ed", 2)
    with client(server, "ed") as ed:
        approved_script = ed.get(f"/v1/requests/{job_id}/script").json()
    assert review["script_sha256"] == approved_script["sha256"]
    assertions = read_assertions(server.data / "jobs" / job_id / "video.mp4")
    assert assertions["org.explainer.record"]["review"] == review  # signed exactly as recorded
    assert assertions["org.explainer.record"]["renderer"] == record["renderer"]  # its size a list of numbers still
    shown = run_cli("verify", str(server.data / "jobs" / job_id / "video.mp4"), cache=server.cache).stdout
    assert (f"Editorial review: approved by ed (editor) on {review['approved_at']}, script version 2 "
            f"(sha256 {review['script_sha256'][:12]}...), edited by ed") in shown
    # The request's title everywhere a reader looks, never the job id.
    with client(server, "ed") as ed:
        report = ed.get(f"/v1/requests/{job_id}/provenance").json()
    shown = json.dumps({k: v for k, v in report.items() if k != "file"}).upper()  # the file path is the job folder
    assert report["title"] == "Library hours" and job_id.upper()[:8] not in shown
    assert [i["title"] for i in report["ingredients"] if i["relationship"] == "inputTo"] == ["Library hours"]
    assert assertions["org.explainer.shots"]["title"] == "Library hours"
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
        assert approve(ed, job["id"]).status_code == 200
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


def test_ownership_is_by_token_identity_and_tokens_can_be_revoked_rotated_and_expire(server):
    from datetime import datetime, timedelta, timezone

    from explainer.service.store import Store

    with client(server, "alice") as alice:
        job_id = alice.post("/v1/requests", json={"text": ARTICLE, "length": 5}).json()["id"]
    # A second token carrying the same display name is a different identity.
    server.tokens["alice-2"] = server.token("alice", "requester")
    with client(server, "alice-2") as other:
        assert other.get(f"/v1/requests/{job_id}").status_code == 404
        assert job_id not in [j["id"] for j in other.get("/v1/requests").json()["requests"]]
    listed = run_cli("tokens", "list", "--data", str(server.data), cache=server.cache)
    rows = [line.split() for line in listed.stdout.splitlines()]
    alices = [r for r in rows if r[3] == "alice"]
    assert listed.code == 0 and len(alices) == 2 and all(r[1] == "active" and r[0].startswith("tok_") for r in alices)
    assert all(t not in listed.stdout for t in server.tokens.values())  # never the secret
    first_id = alices[0][0]
    # Rotation: a new secret for the same identity; the old secret stops, the jobs stay.
    rotated = run_cli("tokens", "rotate", first_id, "--data", str(server.data), cache=server.cache)
    assert rotated.code == 0, rotated.stderr
    old, server.tokens["alice"] = server.tokens["alice"], rotated.stdout.strip().splitlines()[-1]
    assert httpx.get(f"{server.url}/v1/requests", headers={"Authorization": f"Bearer {old}"}).status_code == 401
    with client(server, "alice") as alice:
        assert alice.get(f"/v1/requests/{job_id}").status_code == 200
    revoked = run_cli("tokens", "revoke", alices[1][0], "--data", str(server.data), cache=server.cache)
    assert revoked.code == 0 and f"revoked {alices[1][0]}" in revoked.stdout
    with client(server, "alice-2") as other:
        assert other.get("/v1/requests").status_code == 401
    unknown = run_cli("tokens", "revoke", "tok_nope", "--data", str(server.data), cache=server.cache)
    assert unknown.code != 0 and "no token 'tok_nope'" in unknown.stderr
    past = run_cli("tokens", "create", "carl", "--expires", "2001-01-01", "--data", str(server.data), cache=server.cache)
    assert past.code != 0 and "--expires 2001-01-01: that time has passed" in past.stderr
    # A token past its expiry is refused (made directly in the store, with a time already gone).
    expired = Store.in_folder(server.data).create_token("dora", "requester", expires_at=datetime.now(timezone.utc) - timedelta(seconds=1))
    assert httpx.get(f"{server.url}/v1/requests", headers={"Authorization": f"Bearer {expired}"}).status_code == 401
    assert "expired" in run_cli("tokens", "list", "--data", str(server.data), cache=server.cache).stdout


def test_requests_are_checked_before_they_are_accepted(server):
    refused = {
        "length": ({"text": ARTICLE, "length": "10"}, "length: Input should be a valid number"),
        "length-bool": ({"text": ARTICLE, "length": True}, "length: Input should be a valid number"),
        "length-tiny": ({"text": ARTICLE, "length": 0.001}, "length: 0.001 s is outside 3 to 600 s; ask for a length in that range"),
        "length-huge": ({"text": ARTICLE, "length": 1e9}, "length: 1e+09 s is outside 3 to 600 s"),
        "voice-path": ({"text": ARTICLE, "voice": "/etc/passwd"}, "voice: unknown voice; use one of: joe"),
        "voice-relative": ({"text": ARTICLE, "voice": "../../nope.onnx"}, "voice: unknown voice; use one of: joe"),
        "title-nul": ({"text": ARTICLE, "title": "Library\x00hours"}, "title: contains the control character U+0000; send plain text"),
        "text-escape": ({"text": ARTICLE + "\x1b[31m"}, "text: contains the control character U+001B"),
        "planner-not-here": ({"text": ARTICLE, "planner": "llm"}, "planner: this server does not run the llm planner (it is not set up here); "
                                                                  "use one of: extractive"),
        "renderer-not-here": ({"text": ARTICLE, "renderer": "diffusers"}, "renderer: this server does not run the diffusers renderer"),
        "planner": ({"text": ARTICLE, "planner": "gpt"}, "planner: unknown planner; use one of: extractive, llm"),
        "renderer": ({"text": ARTICLE, "renderer": "sora"}, "renderer: unknown renderer; use one of: cards, diffusers"),
        "punctuation": ({"text": "!!! ... ??? -- ;; " * 60}, "article has only 0 words"),
        "review-text": ({"text": ARTICLE, "review": "no"}, "review: Input should be a valid boolean"),
    }
    with client(server, "root") as admin:
        before = len(admin.get("/v1/requests").json()["requests"])
    with client(server, "alice") as alice:
        for name, (body, message) in refused.items():
            r = alice.post("/v1/requests", json=body)
            assert r.status_code == 422 and r.json()["detail"].startswith(message), (name, r.text)
        for raw, message in ((b'{"text": "x", "length": NaN}', "length: should be a finite number"),
                             (b'{"text": "\\ud800"}', "malformed JSON: a \\u escape that is not a character")):
            r = alice.post("/v1/requests", content=raw, headers={"Content-Type": "application/json"})
            assert r.status_code == 422 and r.json()["detail"].startswith(message), r.text
        r = alice.post("/v1/requests", files={"file": ("story.md", ARTICLE.encode(), "text/markdown")}, data={"length": "ten"})
        assert r.status_code == 422 and r.json()["detail"] == "length: should be a number of seconds"
    with client(server, "root") as admin:
        assert len(admin.get("/v1/requests").json()["requests"]) == before  # nothing was queued


def _rss_kb(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")))


def test_an_oversized_streamed_upload_is_refused_at_the_limit(server):
    """A chunked body with no length: the server answers 413 once the 2 MB article limit is
    passed, while the client is still sending, and keeps none of it."""
    before = _rss_kb(server.proc.pid)
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as conn:
        conn.sendall((f"POST /v1/requests HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {server.tokens['alice']}\r\n"
                      "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n").encode())
        chunk = b"a" * (1 << 20)
        for _ in range(10):  # 10 MB of a body that would go on and on
            conn.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
        conn.settimeout(20)
        answer = conn.recv(4096).decode(errors="replace")
    assert answer.startswith("HTTP/1.1 413"), answer[:200]
    assert "upload is larger than 2 MB" in answer
    assert _rss_kb(server.proc.pid) - before < 50 * 1024


def _ffmpeg_children(pid: int) -> list[int]:
    return [child for child, parent, cmdline in processes() if parent == pid and "ffmpeg" in cmdline]


def _writing_to(folder: Path) -> list[int]:
    """Processes whose command line names ``folder`` (an ffmpeg writing a shot there)."""
    return [pid for pid, _, cmdline in processes() if str(folder) in cmdline and "ffmpeg" in cmdline]


def test_cancel_stops_the_render_and_leaves_nothing(server):
    with client(server, "ed") as ed:
        job_id = ed.post("/v1/requests", json={"text": ARTICLE, "length": 40, "review": False, "title": "to cancel"}).json()["id"]
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            job = ed.get(f"/v1/requests/{job_id}").json()
            if job["status"] == "rendering" and job["progress"] > 0:
                break
            time.sleep(0.05)
        assert job["status"] == "rendering", job
        assert ed.post(f"/v1/requests/{job_id}/cancel").status_code == 200
        # Every encoder the job runs from now on: at most those under way when the worker saw
        # the cancel (one per shot worker, two here, and the voice's); had it gone on, the 40 s
        # video's other shots, its soundtrack and its assembly would all run within these 15 s.
        encoders: dict[int, str] = {}
        watch_until = time.monotonic() + 15
        while time.monotonic() < watch_until:
            encoders |= {pid: cmdline[-120:] for pid, parent, cmdline in processes() if parent == server.proc.pid and "ffmpeg" in cmdline}
            time.sleep(0.1)
        assert len(encoders) <= 3, list(encoders.values())
        assert _ffmpeg_children(server.proc.pid) == []
        assert ed.get(f"/v1/requests/{job_id}").json()["status"] == "cancelled"
    folder = server.data / "jobs" / job_id
    left = sorted(p.name for p in folder.iterdir()) if folder.exists() else []
    assert left == []


class _Hook(BaseHTTPRequestHandler):
    received: list[tuple[dict, str, bytes]] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["content-length"]))
        _Hook.received.append((json.loads(body), self.headers["X-Explainer-Signature"], body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_webhook_is_called_on_completion(server):
    hook = HTTPServer(("127.0.0.1", 0), _Hook)
    threading.Thread(target=hook.serve_forever, daemon=True).start()
    try:
        with client(server, "ed") as c:
            url = f"http://127.0.0.1:{hook.server_address[1]}/done"
            job_id = c.post("/v1/requests", json={"text": ARTICLE, "length": 5, "review": False, "webhook_url": url}).json()["id"]
            # Only the host the admin allowed: any other internal address is refused at the door.
            for internal in ("http://127.0.0.2:9/x", "http://10.0.0.1/x", "http://[::1]/x", "http://169.254.169.254/latest"):
                r = c.post("/v1/requests", json={"text": ARTICLE, "webhook_url": internal, "review": False})
                assert r.status_code == 422 and "internal address" in r.json()["detail"], (internal, r.text)
            wait_for(c, job_id, {"done", "failed"})
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and not any(p["id"] == job_id for p, _, _ in _Hook.received):
                time.sleep(0.1)
        payload, header, body = next((p, h, b) for p, h, b in _Hook.received if p["id"] == job_id)
        assert payload["status"] == "done" and payload["owner"] == "ed"
        # The receiver checks the signature with the service's secret.
        import hashlib
        import hmac

        secret = (server.data / "webhook-secret").read_text().strip().encode()
        fields = dict(part.split("=", 1) for part in header.split(","))
        expected = hmac.new(secret, f"{fields['t']}.".encode() + body, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(fields["sha256"], expected) and abs(time.time() - int(fields["t"])) < 120
    finally:
        hook.shutdown()


def test_fifty_concurrent_requests_all_complete(server):
    results: list[httpx.Response] = []
    lock = threading.Lock()

    def post(n: int) -> None:
        with client(server, "ed") as c:
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
    with client(server, "ed") as c:
        for job_id in ids:
            assert wait_for(c, job_id, {"done", "failed"}, timeout=600)["status"] == "done"
    assert all((server.data / "jobs" / i / "video.mp4").is_file() for i in ids)


def test_sigkill_mid_render_then_restart_finishes_once(tmp_path):
    srv = Server(tmp_path)
    srv.tokens = {"alice": srv.token("alice", "editor")}
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
        # The kill takes the server's ffmpeg processes with it: none is left writing.
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and _writing_to(srv.cache):
            time.sleep(0.1)
        assert _writing_to(srv.cache) == []
        srv.start()
        with client(srv, "alice") as c:
            job = wait_for(c, job_id, {"done", "failed"})
            assert job["status"] == "done" and job["attempts"] == 2
            assert len(c.get("/v1/requests").json()["requests"]) == 1
        assert not [p for p in srv.cache.rglob(".*") if p.is_file()]  # no partial left in the cache
        files = sorted(p.name for p in (srv.data / "jobs" / job_id).iterdir())
        assert files == ["video.descriptions.vtt", "video.mp4", "video.record.json", "video.shots.yaml", "video.srt", "video.vtt"]
        record = json.loads((srv.data / "jobs" / job_id / "video.record.json").read_text())
        assert any(s["video_cached"] for s in record["shots"])  # resumed from the shots made before the kill
    finally:
        srv.stop()


def test_repository_serves_soft_binding_lookups_and_verify_recovers_an_approved_copy(server, tmp_path):
    from explainer.assembly.media import ffmpeg_exe
    from provenance.watermark import ALGORITHM

    with client(server, "alice") as alice, client(server, "ed") as ed:
        job_id = alice.post("/v1/requests", json={"text": ARTICLE, "length": 8, "title": "Library hours"}).json()["id"]
        assert wait_for(alice, job_id, {"awaiting_review", "failed"})["status"] == "awaiting_review"
        assert approve(ed, job_id).status_code == 200
        assert wait_for(alice, job_id, {"done", "failed"})["status"] == "done"
    record = json.loads((server.data / "jobs" / job_id / "video.record.json").read_text())
    value, manifest_id = record["shots"][0]["watermark"], record["repository"]["manifest_id"]
    with httpx.Client(base_url=server.url, timeout=30) as public:  # reads need no token
        assert public.get("/sbr/services/supportedAlgorithms").json()["watermarks"] == [{"alg": ALGORITHM}]
        found = public.get("/sbr/matches/byBinding", params={"alg": ALGORITHM, "value": value}).json()
        assert found == {"matches": [{"manifestId": manifest_id}]}
        assert public.post("/sbr/matches/byBinding", json={"alg": ALGORITHM, "value": value}).json() == found
        assert public.get("/sbr/matches/byBinding", params={"alg": ALGORITHM, "value": "AAAAAAAAAA=="}).json() == {"matches": []}
        got = public.get(f"/sbr/manifests/{manifest_id}")
        assert got.status_code == 200 and got.headers["content-type"] == "application/c2pa"
        assert public.get("/sbr/manifests/urn:c2pa:nothing").status_code == 404
        # Writes need a token, and an editor's: a requester cannot file manifests.
        assert public.post("/sbr/manifests", content=got.content, headers={"Content-Type": "application/c2pa"}).status_code == 401
    with client(server, "alice") as alice:
        assert alice.post("/sbr/manifests", content=got.content).status_code == 403
    with client(server, "ed") as ed:
        assert ed.post("/sbr/manifests", content=b"not a manifest").status_code == 422
        filed = ed.post("/sbr/manifests", content=got.content)
        assert filed.status_code == 201 and filed.json()["manifestId"] == manifest_id
    stripped = tmp_path / "stripped.mp4"
    subprocess.run([ffmpeg_exe(), "-v", "error", "-i", str(server.data / "jobs" / job_id / "video.mp4"), "-c:v", "libx264",
                    "-crf", "28", "-an", "-map_metadata", "-1", str(stripped)], check=True)
    run = run_cli("verify", str(stripped), "--repository", f"{server.url}/sbr", cache=server.cache)
    assert run.code == 5, run.stdout + run.stderr
    first = run.stdout.splitlines()[0]
    review = record["review"]
    assert first.startswith(f"No Content Credentials in the file. A watermark links it to credentials recovered from {server.url}/sbr: ")
    assert f"approved by ed (editor) on {review['approved_at']}" in first and "this copy is not the signed file" in first
    assert f"Editorial review: approved by ed (editor) on {review['approved_at']}, script version 1" in run.stdout
    # The service's own verify looks a copy up in its repository too.
    with client(server, "alice") as alice, stripped.open("rb") as fh:
        report = alice.post("/v1/verify", files={"file": ("copy.mp4", fh, "video/mp4")}).json()
    assert report["state"] == "Recovered" and report["watermark"]["manifest_id"] == manifest_id
    assert report["review"]["editor"] == "ed"


def test_idempotency_key_returns_the_same_request(server):
    body = {"text": ARTICLE, "length": 6, "title": "Hours, once"}
    with client(server, "bob") as bob, client(server, "alice") as alice:
        first = bob.post("/v1/requests", json=body, headers={"Idempotency-Key": "bob-0001"})
        again = bob.post("/v1/requests", json=body, headers={"Idempotency-Key": "bob-0001"})
        assert first.status_code == again.status_code == 202
        assert again.json()["id"] == first.json()["id"] and again.headers["idempotent-replayed"] == "true"
        assert "idempotent-replayed" not in first.headers
        # Keys are per requester: alice's "bob-0001" is her own, new request.
        hers = alice.post("/v1/requests", json=body, headers={"Idempotency-Key": "bob-0001"})
        assert hers.status_code == 202 and hers.json()["id"] != first.json()["id"]
        other = bob.post("/v1/requests", json=body | {"length": 7}, headers={"Idempotency-Key": "bob-0001"})
        assert other.status_code == 422 and other.json()["detail"].startswith("Idempotency-Key: already used for a different request")
        bad = bob.post("/v1/requests", json=body, headers={"Idempotency-Key": "has spaces"})
        assert bad.status_code == 422 and bad.json()["detail"].startswith("Idempotency-Key: use 1 to 200 visible ASCII")
        mine = [j for j in bob.get("/v1/requests").json()["requests"] if j["title"] == "Hours, once"]
        assert [j["id"] for j in mine] == [first.json()["id"]]


def test_an_approval_names_its_script_and_nothing_lands_after_it(server):
    with client(server, "alice") as alice, client(server, "ed") as ed:
        job_id = alice.post("/v1/requests", json={"text": ARTICLE, "length": 8}).json()["id"]
        assert wait_for(alice, job_id, {"awaiting_review", "failed"})["status"] == "awaiting_review"
        first = ed.get(f"/v1/requests/{job_id}/script").json()
        assert first["version"] == 1 and len(first["sha256"]) == 64
        bare = ed.post(f"/v1/requests/{job_id}/approve")
        assert bare.status_code == 422 and bare.json()["detail"].startswith('approve: name the script you approved, {"version": N')
        edited = dict(first["shotlist"], shots=[dict(first["shotlist"]["shots"][0], on_screen_text="Open late")] + first["shotlist"]["shots"][1:])
        put = ed.put(f"/v1/requests/{job_id}/script", json={"shotlist": edited, "version": 1})
        assert put.status_code == 200 and put.json()["script"]["version"] == 2
        # A second editor working from version 1 is told, not allowed to overwrite.
        late = ed.put(f"/v1/requests/{job_id}/script", json={"shotlist": first["shotlist"], "version": 1})
        assert late.status_code == 409 and "the script is at version 2, not 1" in late.json()["detail"]
        stale = ed.post(f"/v1/requests/{job_id}/approve", json={"version": 1, "sha256": first["sha256"]})
        assert stale.status_code == 409 and "script version 1" in stale.json()["detail"] and "(version 2," in stale.json()["detail"]
        second = ed.get(f"/v1/requests/{job_id}/script").json()
        assert ed.post(f"/v1/requests/{job_id}/approve", json={"version": 2, "sha256": second["sha256"]}).status_code == 200
        after = ed.put(f"/v1/requests/{job_id}/script", json={"shotlist": first["shotlist"]})
        assert after.status_code == 409 and after.json()["detail"].startswith("request is queued") or "request is rendering" in after.text
        job = wait_for(alice, job_id, {"done", "failed"})
        assert job["status"] == "done", job["error"]
        assert job["approved_script"] == {"version": 2, "sha256": second["sha256"]}
    with client(server, "root") as admin:
        entries = admin.get("/v1/audit", params={"job": job_id}).json()["entries"]
    assert [(e["action"], e["detail"].get("version")) for e in entries] == [("submit", None), ("edit", 2), ("approve", 2)]
    record = json.loads((server.data / "jobs" / job_id / "video.record.json").read_text())
    assert (record["review"]["script_version"], record["review"]["script_sha256"]) == (2, second["sha256"])
    assert record["shotlist"]["shots"][0]["on_screen_text"] == "Open late"  # the approved script is the one rendered
    assert record["voice"]["name"] == record["settings"]["voice"] == "joe"


def test_edits_are_checked_like_submissions(server):
    with client(server, "alice") as alice, client(server, "ed") as ed:
        job_id = alice.post("/v1/requests", json={"text": ARTICLE, "length": 8}).json()["id"]
        assert wait_for(alice, job_id, {"awaiting_review", "failed"})["status"] == "awaiting_review"
        script = ed.get(f"/v1/requests/{job_id}/script").json()["shotlist"]
        shot = script["shots"][0]

        def with_shot(**changes):
            return dict(script, shots=[dict(shot, **changes)] + script["shots"][1:])

        probes = {
            "voice": (dict(script, voice="/etc/passwd"), "shotlist.voice: unknown voice; use one of: joe"),
            "duration": (with_shot(duration_s=1e9), "shotlist.shots.0.duration_s: 1e+09 s is more than the 60 s a shot may hold"),
            "length": (dict(script, target_s=1e9), "shotlist.target_s: 1e+09 s is outside 3 to 600 s; ask for a length in that range"),
            "shots": (dict(script, shots=[dict(shot, id=f"s{n}") for n in range(10_000)]), "shotlist.shots: 10000 shots is more than 120"),
            "narration": (with_shot(narration="word " * 200_000), "shotlist.shots.0.narration: 999999 characters is more than 2000"),
            "seed": (with_shot(seed=10**30), "shotlist.shots.0.seed: should be at most 4294967295"),
            "nul": (with_shot(on_screen_text="Open\x00late"), "shotlist.shots.0.on_screen_text: contains the control character U+0000"),
        }
        for name, (edited, message) in probes.items():
            r = ed.put(f"/v1/requests/{job_id}/script", json={"shotlist": edited})
            assert r.status_code == 422 and r.json()["detail"].startswith(message), (name, r.text[:300])
        assert ed.get(f"/v1/requests/{job_id}/script").json()["version"] == 1  # nothing was written
        # The article stays the request's: an edit cannot swap the source its lines are checked against.
        forged = dict(script, source=dict(script["source"], sentences={k: "The library closes for good." for k in script["source"]["sentences"]}))
        assert ed.put(f"/v1/requests/{job_id}/script", json={"shotlist": forged}).status_code == 200
        kept = ed.get(f"/v1/requests/{job_id}/script").json()["shotlist"]["source"]["sentences"]
        assert kept == script["source"]["sentences"]
        ed.post(f"/v1/requests/{job_id}/cancel")


def test_edit_and_approve_races_never_sign_an_unapproved_script(tmp_path):
    """Fifty jobs, each edited and approved at the same moment from two threads: whichever
    lands first, the approved sha256 is the script the job holds."""
    from explainer.service.store import Store

    _race(Store.in_folder(tmp_path))


def _race(store, jobs: int = 50) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from explainer.service.store import script_sha256

    ed = store.token(store.create_token("ed", "editor"))
    ids = []
    for n in range(jobs):
        job, _ = store.create_job(ed, f"job {n}", ARTICLE, {}, True, None)
        store.update(job.id, status="awaiting_review", shotlist="v1", script_version=1, script_sha256=script_sha256("v1"))
        ids.append(job.id)
    barrier = threading.Barrier(2)

    def edit(job_id):
        barrier.wait()
        return store.edit_script(job_id, ed, "v2")

    def approve(job_id):
        barrier.wait()
        return store.approve(job_id, ed, 1, script_sha256("v1"))

    with ThreadPoolExecutor(2) as pool:
        outcomes = [(pool.submit(edit, i), pool.submit(approve, i)) for i in ids]
        results = [(e.result(), a.result()) for e, a in outcomes]
    for job_id, (edited, approved) in zip(ids, results):
        job = store.get(job_id)
        assert (edited is None) == approved, (edited, approved)  # exactly one of the two lands
        if approved:
            assert (job.status, job.shotlist, job.approved_sha256) == ("queued", "v1", script_sha256("v1"))
        else:
            assert (job.status, job.shotlist, job.script_version, job.approved_sha256) == ("awaiting_review", "v2", 2, None)
        actions = [e.action for e in store.audit_log(job_id)]
        assert actions == (["approve"] if approved else ["edit"])


def test_desk_pages_send_security_headers_and_the_token_command_refuses_a_past_expiry(server):
    page = httpx.get(f"{server.url}/")
    policy = page.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "script-src 'self' 'nonce-" in policy and "object-src 'none'" in policy
    assert page.headers["x-content-type-options"] == "nosniff" and page.headers["referrer-policy"] == "no-referrer"
    api = httpx.get(f"{server.url}/v1/requests")
    assert api.headers["x-content-type-options"] == "nosniff" and "content-security-policy" not in api.headers
    before = run_cli("tokens", "list", "--data", str(server.data), cache=server.cache).stdout.count("\n")
    for expiry in ("0h", "0d"):
        run = run_cli("tokens", "create", "zed", "--expires", expiry, "--data", str(server.data), cache=server.cache)
        assert run.code == 2 and f"--expires {expiry}: give a positive number" in run.stderr and "Traceback" not in run.stderr
    assert run_cli("tokens", "list", "--data", str(server.data), cache=server.cache).stdout.count("\n") == before


def test_malformed_framing_gets_400_and_a_closed_connection_without_a_traceback(server):
    def raw(data: bytes, wait: float) -> bytes:
        with socket.create_connection(("127.0.0.1", server.port)) as s:
            s.settimeout(wait)
            s.sendall(data)
            out = b""
            while chunk := s.recv(4096):  # until the server closes the connection
                out += chunk
            return out

    logged = server.log.stat().st_size
    bare = raw(b"GET /openapi.json HTTP/1.1\nHost: x\n\n", 5)
    assert bare.startswith(b"HTTP/1.1 400 ") and b"lines must end with CRLF" in bare
    token = server.tokens["alice"].encode()
    short = raw(b"POST /v1/requests HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                + b"\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"text\":", 30)
    assert short.startswith(b"HTTP/1.1 400 ") and b"the body stopped before its Content-Length" in short
    assert "Traceback" not in server.log.read_text()[logged:]


def test_quotas_per_requester_and_per_organisation_answer_429_with_retry_after(tmp_path):
    srv = Server(tmp_path, quotas=("--quota-minutes", "2", "--org-quota-minutes", "3"))
    srv.tokens = {"ann": srv.token("ann", "requester", "--org", "Courier"), "ben": srv.token("ben", "requester", "--org", "Courier"),
                  "root": srv.token("root", "admin")}
    srv.start()
    try:
        with client(srv, "ann") as ann, client(srv, "ben") as ben, client(srv, "root") as admin:
            assert ann.post("/v1/requests", json={"text": ARTICLE, "length": 60}).status_code == 202
            assert ann.post("/v1/requests", json={"text": ARTICLE, "length": 50}).status_code == 202
            over = ann.post("/v1/requests", json={"text": ARTICLE, "length": 20})
            assert over.status_code == 429 and 23 * 3600 < int(over.headers["retry-after"]) <= 24 * 3600
            assert over.json()["detail"] == ("quota: you have asked for 2 of 2 minutes of video in the last 24 hours; "
                                             "this request's 0.3 would pass it")
            org = ben.post("/v1/requests", json={"text": ARTICLE, "length": 80})
            assert org.status_code == 429 and org.json()["detail"].startswith("quota: Courier has asked for 2 of 3 minutes")
            assert ben.post("/v1/requests", json={"text": ARTICLE, "length": 60}).status_code == 202
            assert admin.post("/v1/requests", json={"text": ARTICLE, "length": 600}).status_code == 202  # admins are not counted
    finally:
        srv.stop()


def test_the_concurrent_quota_counts_jobs_waiting_for_or_using_a_worker(tmp_path):
    from explainer.service.limits import QuotaExceeded, Quotas
    from explainer.service.store import Store

    store = Store.in_folder(tmp_path)
    ann = store.token(store.create_token("ann", "requester"))
    quotas = Quotas(jobs=2, minutes=0)
    first, _ = store.create_job(ann, "one", ARTICLE, {}, True, None, video_s=30, quotas=quotas)
    second, _ = store.create_job(ann, "two", ARTICLE, {}, True, None, video_s=30, quotas=quotas)
    with pytest.raises(QuotaExceeded, match="quota: you have 2 requests queued or in the works, the most at once") as refused:
        store.create_job(ann, "three", ARTICLE, {}, True, None, video_s=30, quotas=quotas)
    assert refused.value.retry_after_s == 60
    store.update(first.id, status="awaiting_review")  # waiting for an editor, not for the machine
    store.create_job(ann, "three", ARTICLE, {}, True, None, video_s=30, quotas=quotas)


def test_article_pages_are_fetched_off_the_request_path_and_slow_sites_hold_nothing(tmp_path):
    from http.server import ThreadingHTTPServer

    from tests.test_sources import _Handler

    site = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{site.server_address[1]}"
    srv = Server(tmp_path)
    srv.extra.append("--allow-private-urls")
    srv.tokens = {"ann": srv.token("ann", "requester")}
    srv.start()
    try:
        with client(srv, "ann") as ann:
            started = time.monotonic()
            slow = [ann.post("/v1/requests", json={"url": f"{base}/tarpit", "length": 10}) for _ in range(40)]
            assert [r.status_code for r in slow] == [202] * 40 and time.monotonic() - started < 10
            assert {r.json()["status"] for r in slow} == {"fetching"}
            page = ann.post("/v1/requests", json={"url": f"{base}/harbor-ferry.html", "length": 20}).json()["id"]
            missing = ann.post("/v1/requests", json={"url": f"{base}/missing", "length": 20}).json()["id"]
            text = ann.post("/v1/requests", json={"text": ARTICLE, "length": 8}).json()["id"]
            waits = []
            for _ in range(20):  # while forty pages trickle in, a byte every half second
                t0 = time.monotonic()
                assert ann.get("/v1/requests").status_code == 200
                waits.append(time.monotonic() - t0)
                time.sleep(0.1)
            assert sorted(waits)[18] < 1.0, waits  # p95
            assert wait_for(ann, text, {"awaiting_review", "failed"}, timeout=60)["status"] == "awaiting_review"
            failed = wait_for(ann, missing, {"failed"}, timeout=60)
            assert failed["error"].startswith("url: ") and "the server answered 404 Not Found" in failed["error"]
            fetched = wait_for(ann, page, {"awaiting_review", "failed"}, timeout=60)
            assert fetched["status"] == "awaiting_review", fetched["error"]
            assert fetched["title"] == "Harbor ferry returns after two-year repair"
            assert fetched["options"]["media_type"] == "text/html" and fetched["options"]["retrieved_at"]
            assert ann.get(f"/v1/requests/{slow[0].json()['id']}").json()["status"] == "fetching"  # still trickling
    finally:
        srv.stop()
        site.shutdown()


def _outbox(data: Path, job_id: str) -> list[tuple[str, int]]:
    with sqlite3.connect(data / "explainer.db") as db:
        return db.execute("select state, attempts from webhooks where job_id = ? order by id", (job_id,)).fetchall()


def test_webhooks_wait_in_a_durable_outbox_and_a_silent_receiver_delays_no_other(tmp_path):
    silent = socket.socket()  # accepts, then never answers
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)
    held: list[socket.socket] = []
    threading.Thread(target=lambda: [held.append(silent.accept()[0]) for _ in range(16)], daemon=True).start()
    hook = HTTPServer(("127.0.0.1", 0), _Hook)
    threading.Thread(target=hook.serve_forever, daemon=True).start()
    later = _free_port()  # nothing listens here until the service has been killed
    srv = Server(tmp_path)
    srv.tokens = {"ed": srv.token("ed", "editor"), "root": srv.token("root", "admin")}
    srv.start()
    try:
        with client(srv, "ed") as ed:
            def submit(url: str) -> str:
                return ed.post("/v1/requests", json={"text": ARTICLE, "length": 5, "review": False, "webhook_url": url}).json()["id"]

            stuck = submit(f"http://127.0.0.1:{silent.getsockname()[1]}/hook")
            wait_for(ed, stuck, {"done"})
            fine = submit(f"http://127.0.0.1:{hook.server_address[1]}/hook")
            kept = submit(f"http://127.0.0.1:{later}/hook")
            wait_for(ed, fine, {"done"})
            deadline = time.monotonic() + 8
            while time.monotonic() < deadline and not any(p["id"] == fine for p, _, _ in _Hook.received):
                time.sleep(0.1)
            assert any(p["id"] == fine for p, _, _ in _Hook.received), "a silent receiver held up another's delivery"
            assert _outbox(srv.data, stuck)[0][0] == "pending"  # still waiting on its silent receiver
            wait_for(ed, kept, {"done"})
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and _outbox(srv.data, kept)[0][1] < 1:
                time.sleep(0.1)
            assert _outbox(srv.data, kept) and _outbox(srv.data, kept)[0][0] == "pending"  # refused, to be retried
        srv.kill()
        receiver = HTTPServer(("127.0.0.1", later), _Hook)
        threading.Thread(target=receiver.serve_forever, daemon=True).start()
        srv.start()  # the same data: the outbox survived the kill
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not any(p["id"] == kept for p, _, _ in _Hook.received):
            time.sleep(0.2)
        assert any(p["id"] == kept and p["status"] == "done" for p, _, _ in _Hook.received)
        with client(srv, "root") as admin:
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                entries = admin.get("/v1/audit", params={"job": kept}).json()["entries"]
                if any(e["action"] == "webhook" for e in entries):
                    break
                time.sleep(0.2)
        delivered = [e["detail"] for e in entries if e["action"] == "webhook"]
        assert delivered and delivered[-1]["state"] == "delivered" and delivered[-1]["attempts"] >= 2
        receiver.shutdown()
    finally:
        srv.stop()
        hook.shutdown()
        silent.close()


def test_no_message_names_a_path_on_the_server(server, tmp_path):
    with client(server, "alice") as alice:
        report = alice.post("/v1/verify", files={"file": ("notes.mp4", b"not a video at all" * 10, "video/mp4")}).json()
        assert report["file"] == "notes.mp4" and report["state"] in ("Unreadable", "NoCredentials")
        shown = json.dumps(report)
        assert "/tmp" not in shown and str(server.data) not in shown and "tmp" not in report["message"].lower(), shown
        bad = alice.post("/v1/requests", files=[("file", ("story.md", ARTICLE, "text/markdown")),
                                                ("media", ("clip.mp4", b"\x00\x00\x00\x18ftypmp42 broken", "video/mp4"))])
        assert bad.status_code == 422 and str(server.data) not in bad.text and "uploads" not in bad.text, bad.text
