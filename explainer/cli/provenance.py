"""Content Credentials: ``keys`` and ``verify``."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..errors import InputError
from .common import DEBUG, app, guard, settings_from

keys_app = typer.Typer(help="The signing identity for Content Credentials.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")


@keys_app.command("init")
def keys_init(
    name: str = typer.Option("Explainer local signer", "--name", help="Common name of the signer certificate."),
    organization: str = typer.Option("Explainer local identity (not publicly trusted)", "--org", help="Organization in the certificates."),
    force: bool = typer.Option(False, "--force", help="Replace an existing identity."),
    debug: bool = DEBUG,
) -> None:
    """Create a local root CA and a signing certificate under it (key stored 0600)."""
    from provenance import init_identity

    from ..signing import keys_dir

    with guard(debug):
        settings = settings_from()
        folder = init_identity(keys_dir(settings), common_name=name, organization=organization, force=force)
        typer.echo(f"created a signing identity in {folder}")
        _show_identity(settings)


def _show_identity(settings) -> None:
    from provenance import describe, has_identity, local_paths

    from ..signing import keys_dir

    if settings.sign_cert and settings.sign_key:
        info = describe(settings.sign_cert, settings.sign_key)
    else:
        folder = keys_dir(settings)
        if not has_identity(folder):
            raise InputError(f"no signing identity in {folder}; run 'explainer keys init'")
        info = describe(*local_paths(folder))
    typer.echo(f"subject:     {info.subject}")
    typer.echo(f"issuer:      {info.issuer}")
    typer.echo(f"fingerprint: SHA256 {info.fingerprint_sha256}")
    typer.echo(f"valid:       {info.not_before} to {info.not_after}")
    typer.echo(f"certificate: {info.chain_path}")
    typer.echo(f"private key: {info.key_path}")
    if info.root_path:
        typer.echo(f"root CA:     {info.root_path} (a trust anchor on this machine only)")


@keys_app.command("show")
def keys_show(debug: bool = DEBUG) -> None:
    """Print the signer's subject, fingerprint, validity and where the files are."""
    with guard(debug):
        _show_identity(settings_from())


@app.command("verify")
def verify_command(
    file: Path = typer.Argument(..., help="Any file C2PA supports (mp4, mov, jpg, png, wav, mp3, pdf...), or a folder: "
                                "each file in it, then a count by state."),
    json_output: bool = typer.Option(False, "--json", help="Print one JSON object."),
    trust_anchors: Optional[Path] = typer.Option(None, "--trust-anchors", help="PEM bundle of extra trusted roots."),
    require_trusted: bool = typer.Option(False, "--require-trusted", help="Exit 1 unless the signer is trusted."),
    repository: Optional[str] = typer.Option(
        None, "--repository", help="Where to look up a watermarked copy's credentials: an SQLite file or a service URL "
        "or off [default: the local repository, if any]"),
    manifest: Optional[Path] = typer.Option(
        None, "--manifest", help="A C2PA manifest store kept apart from the file (.c2pa) [default: FILE's .c2pa sidecar, if any]"),
    debug: bool = DEBUG,
) -> None:
    """Check a file's Content Credentials: AI-generated? who signed? altered since? A copy
    without credentials is looked up by its watermark."""
    from provenance.recover import verify_or_recover
    from provenance.verify import FolderReport

    from ..factory import repository_for

    with guard(debug):
        if not file.exists():
            raise InputError(f"{file}: no such file or folder; check the path")
        if repository and repository != "off" and "://" not in repository and not Path(repository).expanduser().is_file():
            raise InputError(f"--repository {repository}: no such file; give a repository file or a service URL (http://host/sbr)")
        if manifest is not None and (file.is_dir() or not manifest.is_file()):
            raise InputError(f"--manifest {manifest}: " + ("give it with one file, not a folder" if file.is_dir() else
                             "no such file; give the .c2pa manifest store kept beside the video"))
        settings = settings_from(repository=repository)
        trust = _anchors(settings, trust_anchors)
        store = repository_for(settings, create=False)
        if file.is_dir():
            files = sorted(p for p in file.rglob("*") if p.is_file() and not p.name.startswith(".") and p.suffix != ".c2pa")
            if not files:
                raise InputError(f"{file}: the folder holds no files to verify")
            folder = FolderReport(str(file), [verify_or_recover(p, store, trust, sidecar=sidecar_of(p)) for p in files])
            typer.echo(folder.to_json() if json_output else folder.summary())
            raise typer.Exit(folder.exit_code(require_trusted))
        report = verify_or_recover(file, store, trust, sidecar=manifest or sidecar_of(file))
        typer.echo(report.to_json() if json_output else report.summary())
        raise typer.Exit(report.exit_code(require_trusted))


def sidecar_of(file: Path) -> Path | None:
    """The manifest store kept beside a file (FILE.c2pa, or FILE.mp4.c2pa), if there is one."""
    return next((p for p in (file.with_suffix(".c2pa"), file.with_name(file.name + ".c2pa")) if p.is_file()), None)


def _anchors(settings, trust_anchors: Optional[Path]) -> str | None:
    """The trust anchors: this machine's own root, and a PEM bundle given with --trust-anchors."""
    from ..signing import local_root_pem

    anchors = [local_root_pem(settings) or ""]
    if trust_anchors is not None:
        if not trust_anchors.is_file():
            raise InputError(f"--trust-anchors {trust_anchors}: no such file; give a PEM bundle of root certificates")
        bundle = trust_anchors.read_text(encoding="ascii", errors="replace")
        if "-----BEGIN CERTIFICATE-----" not in bundle:
            # Ignored, it would leave the verdict on the built-in anchors alone and say so nowhere.
            raise InputError(f"--trust-anchors {trust_anchors}: holds no PEM certificate (-----BEGIN CERTIFICATE-----); "
                             "convert it (openssl x509 -inform der -in FILE -out FILE.pem) or give a PEM bundle")
        anchors.append(bundle)
    return "\n".join(a for a in anchors if a) or None


