"""The voice catalog: ``voices``."""

from __future__ import annotations

import typer

from .common import DEBUG, app, guard


@app.command()
def voices(debug: bool = DEBUG) -> None:
    """List the voices that need no download."""
    from voices import DEFAULT_VOICE, list_voices

    with guard(debug):
        for info in list_voices():
            mark = " (default)" if info.name == DEFAULT_VOICE else ""
            typer.echo(f"{info.name}{mark}\t{info.language}\t{info.sample_rate} Hz\t{info.description}")
        typer.echo("Any Piper voice also works by path: --voice /path/to/voice.onnx (with its .onnx.json beside it).")


