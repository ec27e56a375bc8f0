"""The ``explainer`` command line: one module per command group, all on one typer app.

Settings are built once at the edge and instances handed to the pipeline.
"""

from __future__ import annotations

import typer

from .. import __version__

# Importing each module registers its commands, in this order in --help.
from . import video, voices, service, provenance  # noqa: F401,E402,I001
from .common import app


def _version(value: bool) -> None:
    if value:
        typer.echo(f"explainer {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
) -> None:
    """Narrated, captioned explainer videos from articles, marked as AI-generated."""


def _plugin_commands() -> None:
    """Commands other packages add (``explainer.commands`` entry points), e.g. ``lesson``."""
    from importlib.metadata import entry_points

    for entry in entry_points(group="explainer.commands"):
        entry.load()(app)


def main() -> None:
    """Console entry point."""
    import sys

    from .common import bare_ray_flag

    _plugin_commands()
    try:
        app(args=bare_ray_flag(sys.argv[1:]), prog_name="explainer")
    except SystemExit as done:
        _exit(done.code)
    _exit(0)


def _exit(code: int | str | None) -> None:
    """Leave without the interpreter's teardown once the command is done: freeing the parser's,
    the voice's and onnxruntime's objects one by one took 0.6 s of a 7 s `explainer make`
    (measured on 2 cores). Exit handlers (logging, Ray) still run; with a thread still going
    (none should be), the ordinary exit waits for it."""
    import atexit
    import os
    import sys
    import threading

    if threading.active_count() > 1:
        sys.exit(code)
    atexit._run_exitfuncs()
    if isinstance(code, str):  # sys.exit("message") prints the message and exits 1
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    os._exit(code or 0)
