"""The newsroom service: ``serve`` and ``tokens``."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..errors import InputError
from .common import DEBUG, RAY, Ui, app, guard, settings_from, signer_for


def _default_data() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("explainer")) / "service"


from ..service.limits import Quotas

DATA = typer.Option(None, "--data", help="Folder for the job database and files [default: the user data folder].")
DB_URL = typer.Option(None, "--database", "--db-url", help="The job store's database: postgresql://user@host/db (several "
                      "`serve` processes may share it) or any SQLAlchemy URL [default: SQLite in --data].")


def webhook_secret(folder: Path) -> bytes:
    """The key webhooks are signed with: ``DATA/webhook-secret``, made on first use, readable
    by the service's user only. Give it to the receivers that check signatures."""
    import os
    import secrets

    path = folder / "webhook-secret"
    if not path.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32) + "\n")
    return path.read_text().strip().encode()


def _clean_start(store, folder: Path, cache_dir: Path, ui: Ui) -> None:
    """Remove what a killed server was writing (cache entries, job outputs, work folders) and
    take back the requests it was working on."""
    import tempfile

    from ..cache import remove_orphans

    left = (remove_orphans(cache_dir) + remove_orphans(folder / "jobs")
            + remove_orphans(Path(tempfile.gettempdir()), "explainer-*", recursive=False))
    if left:
        ui.say(f"removed {left} partial file(s) left by a stopped process")
    recovered = store.recover()
    if recovered:
        ui.say(f"resuming {recovered} request(s) that were in progress when a process here stopped")


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    data: Optional[Path] = DATA,
    db_url: Optional[str] = DB_URL,
    workers: int = typer.Option(2, "--workers", min=1, max=32, help="Jobs worked on at once."),
    allow_private_urls: bool = typer.Option(False, "--allow-private-urls", help="Let requests name article pages on loopback or private networks (an intranet CMS)."),
    brands: Optional[Path] = typer.Option(None, "--brands", help="Folder of brand kits, one per organisation: BRANDS/<org>/brand.toml [default: DATA/brands]."),
    review: str = typer.Option("required", "--review", help="Editorial policy: 'required' (only an editor or admin can waive review) or 'optional' (the requester chooses)."),
    webhook_allow: list[str] = typer.Option([], "--webhook-allow", help="A host webhooks may call although it is internal (an intranet CMS); repeat for more."),
    quota_jobs: int = typer.Option(Quotas.jobs, "--quota-jobs", min=0, help="Requests one requester may have queued or in the works at once (0: no limit)."),
    quota_minutes: float = typer.Option(Quotas.minutes, "--quota-minutes", min=0, help="Minutes of video one requester may ask for in any 24 hours (0: no limit)."),
    org_quota_jobs: int = typer.Option(Quotas.org_jobs, "--org-quota-jobs", min=0, help="The same, for all of one organisation's requesters together."),
    org_quota_minutes: float = typer.Option(Quotas.org_minutes, "--org-quota-minutes", min=0, help="The same, for all of one organisation's requesters together."),
    lease: float = typer.Option(30.0, "--lease", min=3, max=3600, help="Seconds a job is held without a heartbeat before another process may take it over."),
    ray: Optional[str] = RAY,
    debug: bool = DEBUG,
) -> None:
    """Run the newsroom service: REST API under /v1, OpenAPI docs at /docs, the desk at /."""
    ui = Ui(False, debug)
    with guard(debug):
        import uvicorn

        from ..service.app import REVIEW_POLICIES, create_app
        from ..service.store import Store
        from ..service.worker import Workers

        if review not in REVIEW_POLICIES:
            raise InputError(f"--review {review!r}: use one of {', '.join(REVIEW_POLICIES)}")
        settings = settings_from(ray_address=ray)
        if settings.ray_address:
            from ..execution import executor_for

            # Joined here, on the main thread, where Ray installs its signal handler; every
            # job's pipeline then shares this executor and its shot workers.
            executor_for(settings)
        folder = data or _default_data()
        store = Store.in_folder(folder, db_url, lease_s=lease)
        _clean_start(store, folder, settings.cache_dir, ui)
        secret = webhook_secret(folder)
        pool = Workers(store, folder, settings, signer_for(settings, ui) if settings.sign else None, size=workers,
                       brands=brands or folder / "brands", webhook_secret=secret, webhook_hosts=tuple(webhook_allow),
                       allow_private_urls=allow_private_urls)
        pool.start()
        ui.say(f"serving on http://{host}:{port} (docs at /docs); data in {folder}; review {review}")
        ui.say(f"webhooks are signed with the secret in {folder / 'webhook-secret'}")
        from ..factory import runnable_parts

        app_ = create_app(store, folder, allow_private_urls=allow_private_urls, review_policy=review, webhook_hosts=tuple(webhook_allow),
                          offered=runnable_parts(settings), default_length_s=settings.length,
                          quotas=Quotas(quota_jobs, quota_minutes, org_quota_jobs, org_quota_minutes), fetcher=pool.fetch)
        try:
            from ..service.framing import StrictH11Protocol

            uvicorn.run(app_, host=host, port=port, log_level="warning", http=StrictH11Protocol)
        finally:
            pool.stop()


tokens_app = typer.Typer(help="API tokens for the newsroom service.", no_args_is_help=True)
app.add_typer(tokens_app, name="tokens")


def _expiry(value: str | None):
    """``--expires`` as a UTC time: a number of days ("90d"), hours ("12h") or an ISO date."""
    from datetime import datetime, timedelta, timezone

    if value is None:
        return None
    units = {"d": "days", "h": "hours"}
    try:
        if value[-1:] in units and value[:-1].isdigit():
            if int(value[:-1]) <= 0:
                raise InputError(f"--expires {value}: give a positive number of days or hours (90d, 12h)")
            when = datetime.now(timezone.utc) + timedelta(**{units[value[-1]]: int(value[:-1])})
        else:
            when = datetime.fromisoformat(value)
    except (ValueError, OverflowError):
        when = None
    if when is None:
        raise InputError(f"--expires {value!r}: give days (90d), hours (12h) or a date (2027-06-30)")
    when = when if when.tzinfo else when.replace(tzinfo=timezone.utc)
    if when <= datetime.now(timezone.utc):
        raise InputError(f"--expires {value}: that time has passed")
    return when


def _store(data: Optional[Path], db_url: Optional[str]):
    from ..service.store import Store

    return Store.in_folder(data or _default_data(), db_url)


@tokens_app.command("create")
def tokens_create(
    name: str = typer.Argument(..., help="Who the token is for (a person's name)."),
    role: str = typer.Option("requester", "--role", help="requester, editor or admin."),
    org: Optional[str] = typer.Option(None, "--org", help="The organisation the holder works for: its brand kit (BRANDS/<org>/brand.toml) dresses their videos."),
    expires: Optional[str] = typer.Option(None, "--expires", help="When it stops working: days (90d), hours (12h) or a date [default: never]."),
    data: Optional[Path] = DATA,
    db_url: Optional[str] = DB_URL,
    debug: bool = DEBUG,
) -> None:
    """Create a token; it is printed once, on the last line, and stored only as a hash."""
    with guard(debug):
        from ..service.store import ROLES

        if role not in ROLES:
            raise InputError(f"--role {role!r}: use one of {', '.join(ROLES)}")
        until = _expiry(expires)  # refused before anything is created
        store = _store(data, db_url)
        try:
            token = store.create_token(name, role, org, until)
        except ValueError as e:
            raise InputError(f"--org: {e}") from e
        record = store.token(token)
        typer.echo(f"token {record.public_id} for {name} ({role}{', ' + org if org else ''}); keep it now, it is not shown again:")
        typer.echo(token)


@tokens_app.command("list")
def tokens_list(data: Optional[Path] = DATA, db_url: Optional[str] = DB_URL, debug: bool = DEBUG) -> None:
    """Every token: id, name, role, organisation, created, expires, state (never the secret)."""
    with guard(debug):
        for t in _store(data, db_url).tokens():
            expires = t.expires_at.strftime("%Y-%m-%d %H:%M") if t.expires_at else "never"
            typer.echo(f"{t.public_id}  {t.state():8} {t.role:10} {t.name}  org={t.organisation or '-'}  "
                       f"created={t.created_at:%Y-%m-%d}  expires={expires}")


TOKEN_ID = typer.Argument(..., help="The token's id (tok_...), from `tokens list`.")


def _on_token(token_id: str, data: Optional[Path], db_url: Optional[str], change):
    """``change(store, token_id)``, with an unknown or revoked id as a one-line error."""
    try:
        return change(_store(data, db_url), token_id)
    except KeyError as e:
        raise InputError(str(e.args[0])) from e


@tokens_app.command("revoke")
def tokens_revoke(token_id: str = TOKEN_ID, data: Optional[Path] = DATA, db_url: Optional[str] = DB_URL, debug: bool = DEBUG) -> None:
    """Stop a token from working, at once; the requests it made stay."""
    with guard(debug):
        record = _on_token(token_id, data, db_url, lambda store, i: store.revoke_token(i))
        typer.echo(f"revoked {record.public_id} ({record.name})")


@tokens_app.command("rotate")
def tokens_rotate(token_id: str = TOKEN_ID, data: Optional[Path] = DATA, db_url: Optional[str] = DB_URL, debug: bool = DEBUG) -> None:
    """A new secret for the same identity (its requests stay its own); the old secret stops working."""
    with guard(debug):
        token = _on_token(token_id, data, db_url, lambda store, i: store.rotate_token(i))
        typer.echo(f"new secret for {token_id}; keep it now, it is not shown again:")
        typer.echo(token)
