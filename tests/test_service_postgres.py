"""The newsroom service past one process: two `explainer serve` processes on one real
PostgreSQL database (started by the tests), sharing their data and cache folders. Every
request is made exactly once, a client's retries never make a second video, and a process
killed with SIGKILL in the middle of a render loses nothing: the other one takes the job over
when its lease runs out."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.conftest import SHORT_ARTICLE
from tests.postgres import Postgres
from tests.test_service import Server, wait_for

pytest.importorskip("psycopg")


@pytest.fixture(scope="module")
def postgres():
    server = Postgres().start()
    yield server
    server.stop()


def _jobs(url: str) -> list[dict]:
    """The jobs table as the database holds it."""
    import psycopg
    from psycopg.rows import dict_row

    with psycopg.connect(url, row_factory=dict_row) as connection:
        return list(connection.execute("select id, status, attempts, worker from jobs order by created_at"))


def _pair(tmp_path, database: str, lease: float = 30.0) -> tuple[Server, Server]:
    first = Server(tmp_path, database=database, lease=lease, name="first")
    first.tokens = {"ed": first.token("ed", "editor")}
    second = Server(tmp_path, database=database, lease=lease, shares=first, name="second")
    second.tokens = first.tokens
    return first.start(), second.start()


def _client(server: Server) -> httpx.Client:
    return httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {server.tokens['ed']}"}, timeout=60)


def test_two_processes_make_twenty_requests_each_exactly_once(postgres, tmp_path):
    database = postgres.database()
    first, second = _pair(tmp_path, database)
    try:
        articles = [SHORT_ARTICLE.replace("8 p.m.", f"{n % 4 + 6} p.m.").replace("June 1", f"June {n + 1}") for n in range(20)]

        def submit(n: int) -> list[str]:
            # Each request is sent twice with one key, once to each process, as a client
            # retrying after a timeout would; both answers name the same request.
            body = {"text": articles[n], "length": 5, "review": False, "title": f"Hours {n}"}
            key = {"Idempotency-Key": f"req-{n}"}
            ids = []
            for server in (first, second) if n % 2 else (second, first):
                with _client(server) as c:
                    r = c.post("/v1/requests", json=body, headers=key)
                    assert r.status_code == 202, r.text
                    ids.append(r.json()["id"])
            return ids

        with ThreadPoolExecutor(max_workers=20) as pool:
            answers = list(pool.map(submit, range(20)))
        assert all(a == b for a, b in answers)
        ids = [a for a, _ in answers]
        assert len(set(ids)) == 20
        with _client(first) as c:
            done = [wait_for(c, job_id, {"done", "failed"}, timeout=600) for job_id in ids]
        assert [j["status"] for j in done] == ["done"] * 20, [j.get("error") for j in done]
        rows = _jobs(database)
        assert len(rows) == 20 and all(r["attempts"] == 1 for r in rows)
        # Both processes worked the queue (a worker's name carries its process id).
        pids = {r["worker"].split(".")[1].split("-")[1] for r in rows}
        assert pids == {str(first.proc.pid), str(second.proc.pid)}, pids
        for job_id in ids:
            files = sorted(p.name for p in (first.data / "jobs" / job_id).iterdir())
            assert files == ["video.descriptions.vtt", "video.mp4", "video.record.json", "video.shots.yaml", "video.srt", "video.vtt"]
        with _client(second) as c:
            assert len(c.get("/v1/requests").json()["requests"]) == 20
            # A key reused for another request is refused, not answered with the first one.
            reused = c.post("/v1/requests", json={"text": articles[1], "length": 5, "review": False}, headers={"Idempotency-Key": "req-0"})
            assert reused.status_code == 422 and "different request" in reused.json()["detail"]
    finally:
        first.stop()
        second.stop()


def test_a_process_killed_mid_render_is_taken_over_once(postgres, tmp_path):
    database = postgres.database()
    first, second = _pair(tmp_path, database, lease=4)
    try:
        with _client(first) as c:
            job_id = c.post("/v1/requests", json={"text": SHORT_ARTICLE, "length": 30, "review": False}).json()["id"]
            deadline = time.monotonic() + 120
            holder = None
            while time.monotonic() < deadline and holder is None:
                row = next(r for r in _jobs(database) if r["id"] == job_id)
                finished = [p for p in first.cache.rglob("*.mp4") if not p.name.startswith(".")]
                if row["status"] == "rendering" and finished:
                    holder = row["worker"]
                time.sleep(0.05)
        assert holder is not None, "the job never reached its render"
        victim = first if f"-{first.proc.pid}." in holder else second
        survivor = second if victim is first else first
        victim.kill()
        with _client(survivor) as c:
            job = wait_for(c, job_id, {"done", "failed"}, timeout=300)
        assert job["status"] == "done" and job["attempts"] == 2, job
        row = next(r for r in _jobs(database) if r["id"] == job_id)
        assert f"-{survivor.proc.pid}." in row["worker"]
        assert len(_jobs(database)) == 1
        files = sorted(p.name for p in (first.data / "jobs" / job_id).iterdir())
        assert files == ["video.descriptions.vtt", "video.mp4", "video.record.json", "video.shots.yaml", "video.srt", "video.vtt"]
        assert not [p for p in first.cache.rglob(".*") if p.is_file() and str(victim.proc.pid) not in p.name]
        record = json.loads((first.data / "jobs" / job_id / "video.record.json").read_text())
        assert any(s["video_cached"] for s in record["shots"])  # resumed from the shots made before the kill
    finally:
        first.stop()
        second.stop()


def test_an_unreachable_database_is_one_line(tmp_path):
    from tests.conftest import run_cli

    run = run_cli("serve", "--port", "1", "--data", str(tmp_path / "data"), "--database", "postgresql://nobody@127.0.0.1:9/none",
                  cache=tmp_path / "cache", timeout=60)
    assert run.code == 2, run.stderr
    assert run.stderr.strip().splitlines()[-1].startswith("error: cannot open the job store at postgresql://nobody@127.0.0.1:9/none")
    assert "Traceback" not in run.stderr


def test_only_the_holder_of_a_job_puts_its_files_in_place(postgres, tmp_path):
    """A worker whose lease ran out and whose job another process took cannot publish files for
    it, however late it gets there; while the holder moves its files into place the row is
    locked, so no one can take the job in between, and the job is done with them."""
    from explainer.outputs import atomic_outputs
    from explainer.service.store import Store

    url = postgres.database()
    first, second = Store(url, lease_s=3), Store(url, lease_s=3)
    owner = first.token(first.create_token("ed", "editor"))
    job, _ = first.create_job(owner, "Hours", SHORT_ARTICLE, {}, review=False, webhook_url=None)
    first.update(job.id, shotlist="shots: []")
    assert first.claim("first.1").status == "rendering"
    first.update(job.id, lease_expires_at=None)  # first stopped renewing: its lease is gone
    assert second.claim("second.1").worker == "second.1"

    def publish(store: Store, worker: str, text: str) -> Path:
        final = tmp_path / "video.mp4"

        @contextmanager
        def as_holder():
            with store.changing(job.id, ("rendering",), worker, status="done") as held:
                if not held:
                    raise PermissionError(f"{worker} no longer holds the job")
                # Mid-move: the row is locked, so a third process cannot claim the job.
                assert Store(url).claim("third.1") is None
                yield

        with atomic_outputs([final], as_holder) as temp:
            temp[final].write_text(text)
        return final

    with pytest.raises(PermissionError, match="first.1 no longer holds the job"):
        publish(first, "first.1", "late")
    # second's lease runs out too, but no one took the job: it may still finish it, and while it
    # moves its files the job cannot be claimed (without the row lock a third process would).
    first.update(job.id, lease_expires_at=None)
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # nothing under a final name, no temporary left
    assert publish(second, "second.1", "holder").read_text() == "holder"
    assert [(j["status"], j["worker"], j["attempts"]) for j in _jobs(url)] == [("done", "second.1", 2)]


def test_edit_and_approve_races_never_sign_an_unapproved_script_on_postgres(postgres, tmp_path):
    from explainer.service.store import Store
    from tests.test_service import _race

    store = Store(postgres.database())
    _race(store)
