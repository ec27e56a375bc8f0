"""Child processes that end with their parent.

A child we start (ffmpeg, the embedded llama.cpp server) must not outlive a killed run: the
kernel's parent-death signal does that. It is set in the child by util-linux's ``setpriv
--pdeathsig KILL`` run in front of the command, so Python can start the child with vfork or
posix_spawn: a ``preexec_fn`` would force a full fork of a process that may hold gigabytes
(the torch and spaCy models), which is where the summed memory spiked. Where ``setpriv`` is
missing (not Linux) the command runs as it is.
"""

from __future__ import annotations

import shutil
import sys
from functools import lru_cache
from typing import Sequence


@lru_cache(maxsize=1)
def _setpriv() -> str | None:
    return shutil.which("setpriv") if sys.platform.startswith("linux") else None


def dying_with_parent(cmd: Sequence[str]) -> list[str]:
    """``cmd`` run so the kernel kills it when the thread that started it dies."""
    setpriv = _setpriv()
    return [setpriv, "--pdeathsig", "KILL", "--", *cmd] if setpriv else list(cmd)
