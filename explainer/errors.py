"""One base error for everything a user can get wrong, with a subclass per stage.

Every message is one line that says what is wrong and what to do. The CLI prints it and
exits with ``exit_code``; a traceback is shown only with ``--debug``.
"""

from __future__ import annotations


class ExplainerError(Exception):
    """Base of all user-facing errors."""

    exit_code: int = 2


class InputError(ExplainerError):
    """The source, a shot list or an option is unusable."""


class UnreadableInput(InputError):
    """The input is not text at all (binary, an image, a PDF, not UTF-8): a format problem."""


class ShotListError(InputError):
    """A shot list file does not validate; the message names the shot and field."""


class PlanError(ExplainerError):
    """A planner could not produce a shot list."""

    exit_code = 1


class NarrationError(ExplainerError):
    """Text-to-speech failed."""

    exit_code = 1


class RenderError(ExplainerError):
    """A renderer failed on a shot."""

    exit_code = 1


class AssemblyError(ExplainerError):
    """ffmpeg could not put the shots together."""

    exit_code = 1


class OutputError(InputError):
    """The output location cannot be written."""


class UnsupportedClaimsError(ExplainerError):
    """A news shot list says things its source does not support."""
