"""The newsroom service: ``serve`` and ``tokens``."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..errors import InputError
from .common import DEBUG, Ui, app, guard, settings_from, signer_for


def _default_data() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("explainer")) / "service"


DATA = typer.Option(None, "--data", help="Folder for the job database and files [default: the user data folder].")
DB_URL = typer.Option(None, "--db-url", help="SQLAlchemy URL of the job store (e.g. postgresql://...) [default: SQLite in --data].")


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    data: Optional[Path] = DATA,
    db_url: Optional[str] = DB_URL,
    workers: int = typer.Option(2, "--workers", min=1, max=32, help="Jobs worked on at once."),
    allow_private_urls: bool = typer.Option(False, "--allow-private-urls", help="Let requests name article pages on loopback or private networks (an intranet CMS)."),
    brands: Optional[Path] = typer.Option(None, "--brands", help="Folder of brand kits, one per organisation: BRANDS/<org>/brand.toml [default: DATA/brands]."),
    debug: bool = DEBUG,
) -> None:
    """Run the newsroom service: REST API under /v1, OpenAPI docs at /docs, the desk at /."""
    ui = Ui(False, debug)
    with guard(debug):
        import uvicorn

        from ..service.app import create_app
        from ..service.store import Store
        from ..service.worker import Workers

        settings = settings_from()
        folder = data or _default_data()
        store = Store.in_folder(folder, db_url)
        from ..cache import Cache

        Cache(settings.cache_dir).clean_partials()  # what a killed server was writing
        recovered = store.recover()
        if recovered:
            ui.say(f"resuming {recovered} request(s) that were in progress when the service stopped")
        pool = Workers(store, folder, settings, signer_for(settings, ui) if settings.sign else None, size=workers,
                       brands=brands or folder / "brands")
        pool.start()
        ui.say(f"serving on http://{host}:{port} (docs at /docs); data in {folder}")
        try:
            uvicorn.run(create_app(store, folder, allow_private_urls=allow_private_urls), host=host, port=port, log_level="warning")
        finally:
            pool.stop()


tokens_app = typer.Typer(help="API tokens for the newsroom service.", no_args_is_help=True)
app.add_typer(tokens_app, name="tokens")


@tokens_app.command("create")
def tokens_create(
    name: str = typer.Argument(..., help="Who the token is for."),
    role: str = typer.Option("requester", "--role", help="requester, editor or admin."),
    org: Optional[str] = typer.Option(None, "--org", help="The organisation the holder works for: its brand kit (BRANDS/<org>/brand.toml) dresses their videos."),
    data: Optional[Path] = DATA,
    db_url: Optional[str] = DB_URL,
    debug: bool = DEBUG,
) -> None:
    """Create a token; it is printed once, on the last line, and stored only as a hash."""
    with guard(debug):
        from ..service.store import ROLES, Store

        if role not in ROLES:
            raise InputError(f"--role {role!r}: use one of {', '.join(ROLES)}")
        try:
            token = Store.in_folder(data or _default_data(), db_url).create_token(name, role, org)
        except ValueError as e:
            raise InputError(f"--org: {e}") from e
        typer.echo(f"token for {name} ({role}{', ' + org if org else ''}); keep it now, it is not shown again:")
        typer.echo(token)


