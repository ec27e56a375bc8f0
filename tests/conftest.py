"""Shared fixtures: an isolated cache and config, the real CLI, one shared made video."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO.parent / "shared" / "fixtures"
#: Tests of files made by others (the shared C2PA fixtures beside the repository) are skipped,
#: not failed, in a checkout that has none beside it.
needs_fixtures = pytest.mark.skipif(not (FIXTURES / "c2pa").is_dir(), reason=f"shared fixtures not beside the repository ({FIXTURES})")
#: One signing identity for the whole test session (created by the first `make`).
CONFIG = Path(tempfile.mkdtemp(prefix="explainer-test-config-"))
SAMPLE = REPO / "explainer" / "samples" / "riverside-bridge.md"

SHORT_ARTICLE = """# Library extends weekend hours

The Oakdale Public Library will stay open until 8 p.m. on Saturdays starting June 1, the library board decided on Monday.

The change adds 12 hours of service a month and costs about $42,000 a year, paid from a state literacy grant.

Director Sam Patel said weekend visits rose by 18 percent last year. Families asked for more evening time in a survey of 1,200 residents.

The board also approved a new homework help desk staffed by volunteers from Oakdale College.
"""


#: Test files by the time they take, longest first (measured with --durations). `make test`
#: hands whole files to two processes in collection order, so the long ones start first and
#: the short ones fill in at the end, rather than one process finishing a long file alone.
LONGEST_FIRST = (
    "test_real_syllabi.py", "test_service.py", "test_lessons.py", "test_soft_binding.py", "test_ray.py",
    "test_service_postgres.py", "test_site_browser.py", "test_plan_render.py", "test_diffusion.py",
    "test_llm_planner.py", "test_provenance.py", "test_make.py", "test_kinds.py", "test_media.py",
)


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """Long test files first (``LONGEST_FIRST``), the rest in their own order after them."""
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: a file's tests keep their order


@dataclass
class Run:
    """A finished CLI run."""

    code: int
    stdout: str
    stderr: str


@pytest.fixture(scope="session")
def cache_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache for the whole session (tests that count cache hits make their own)."""
    return tmp_path_factory.mktemp("cache")


def cli_env(cache: Path, config: Path | None = None) -> dict[str, str]:
    """Environment for a CLI run that touches nothing of the user's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("EXPLAINER_")}
    env["EXPLAINER_CACHE_DIR"] = str(cache)
    env["EXPLAINER_CONFIG"] = str(cache / "no-such-explainer.toml")
    env["EXPLAINER_CONFIG_DIR"] = str(config or CONFIG)
    env["EXPLAINER_DATA_DIR"] = str(cache / "data")  # the local manifest repository
    return env


def processes() -> list[tuple[int, int, str]]:
    """(pid, parent pid, command line) of every process, from /proc (``ps`` cuts long command
    lines to the terminal's width, which COLUMNS sets under pytest)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            cmdline = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
        except (OSError, IndexError, ValueError):
            continue  # gone meanwhile
        found.append((int(stat.parent.name), ppid, cmdline))
    return found


def run_cli(
    *args: str,
    cache: Path,
    cwd: Path | None = None,
    stdin: bytes | None = None,
    timeout: float = 300,
    config: Path | None = None,
    env: dict[str, str] | None = None,
) -> Run:
    """Run ``python -m explainer ARGS`` for real, as a user would."""
    result = subprocess.run(
        [sys.executable, "-m", "explainer", *args],
        input=stdin,
        capture_output=True,
        cwd=cwd,
        env=cli_env(cache, config) | (env or {}),
        timeout=timeout,
    )
    return Run(result.returncode, result.stdout.decode(), result.stderr.decode())


@pytest.fixture
def cli(cache_root: Path):
    """Run the CLI with the session cache."""

    def call(*args: str, **kwargs) -> Run:
        kwargs.setdefault("cache", cache_root)
        return run_cli(*args, **kwargs)

    return call


@dataclass
class Made:
    """One `explainer make` of the short article, shared by the tests that only read it."""

    run: Run
    video: Path
    record: dict
    folder: Path

    def sidecar(self, suffix: str) -> Path:
        return self.video.with_suffix("").with_name(self.video.stem + suffix)


@pytest.fixture(scope="session")
def made(tmp_path_factory: pytest.TempPathFactory, cache_root: Path) -> Made:
    folder = tmp_path_factory.mktemp("made")
    article = folder / "library.md"
    article.write_text(SHORT_ARTICLE, encoding="utf-8")
    video = folder / "library.mp4"
    run = run_cli("make", str(article), "-o", str(video), "--length", "25", cache=cache_root)
    assert run.code == 0, run.stderr
    record = json.loads((folder / "library.record.json").read_text(encoding="utf-8"))
    return Made(run, video, record, folder)


@pytest.fixture
def own_repository(made: Made, tmp_path: Path) -> Path:
    """A repository holding only the ``made`` video's manifest: the session's shared one also
    holds other renders of the same article, which share its first shots, and a short copy of
    those shots cannot tell them apart (verify then rightly says Ambiguous)."""
    from provenance.repository import SqlRepository

    shared = SqlRepository.at(Path(made.record["repository"]["location"]))
    path = tmp_path / "own.sqlite"
    SqlRepository.at(path).add(shared.manifest(made.record["repository"]["manifest_id"]))
    return path
