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
    app(args=bare_ray_flag(sys.argv[1:]), prog_name="explainer")
