"""Signing identities: a local root CA and signer certificate, or the user's own chain.

Every credential is checked before any work starts, so a self-signed leaf, an expired
certificate, a key that does not match, or a wrong password is a one-line error up front
instead of a failure after minutes of rendering.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import CredentialError

ROOT_CERT = "root-ca.pem"
ROOT_KEY = "root-ca.key"
SIGNER_CHAIN = "signer-chain.pem"
SIGNER_KEY = "signer.key"

#: Extended key usages the C2PA trust model accepts for claim signers (OIDs).
C2PA_EKUS = {
    "1.3.6.1.5.5.7.3.4": "emailProtection",
    "1.3.6.1.5.5.7.3.36": "documentSigning",
    "1.3.6.1.5.5.7.3.8": "timeStamping",
    "1.3.6.1.5.5.7.3.9": "OCSPSigning",
    "1.3.6.1.4.1.311.76.59.1.9": "Microsoft C2PA signing",
    "1.3.6.1.4.1.62558.2.1": "C2PA claim signing",
}


@dataclass(frozen=True)
class Credentials:
    """A checked certificate chain and private key, ready to sign with."""

    chain_pem: bytes
    """Signer certificate first, then its issuers, in PEM."""
    key_pem: bytes
    """The signer's private key, unencrypted PKCS#8 PEM (kept in memory only)."""
    alg: str
    """C2PA signing algorithm: es256, es384, es512, ps256 or ed25519."""
    chain_path: Path | None = None
    key_path: Path | None = None

    def leaf(self):
        """The signer certificate (cryptography x509 object)."""
        from cryptography import x509

        return x509.load_pem_x509_certificates(self.chain_pem)[0]


def _name(common_name: str, organization: str):
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    return x509.Name(
        [x509.NameAttribute(NameOID.COMMON_NAME, common_name), x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization)]
    )


def _key_usage(*, sign: bool, ca: bool):
    from cryptography import x509

    return x509.KeyUsage(
        digital_signature=sign, content_commitment=False, key_encipherment=False, data_encipherment=False,
        key_agreement=False, key_cert_sign=ca, crl_sign=ca, encipher_only=False, decipher_only=False,
    )


def _write_private(path: Path, data: bytes) -> None:
    # Created 0600 from the start: the key is never readable by others, not even briefly.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)


def init_identity(
    folder: Path,
    *,
    common_name: str = "Explainer local signer",
    organization: str = "Explainer local identity (not publicly trusted)",
    years: int = 5,
    force: bool = False,
) -> Path:
    """Create a P-256 root CA and a signing certificate under it in ``folder``.

    Returns the folder. Refuses to overwrite an existing identity unless ``force``.
    """
    from cryptography.hazmat.primitives import serialization

    if (folder / SIGNER_CHAIN).exists() and not force:
        raise CredentialError(f"a signing identity already exists in {folder}; use --force to replace it")
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    now = dt.datetime.now(dt.timezone.utc)
    start = now - dt.timedelta(minutes=5)
    root_key, root = _root_ca(organization, start, now + dt.timedelta(days=365 * (years + 5)))
    signer_key, signer = _signer(common_name, organization, root_key, root.subject, start, now + dt.timedelta(days=365 * years))
    pem = serialization.Encoding.PEM
    pkcs8 = serialization.PrivateFormat.PKCS8
    plain = serialization.NoEncryption()
    _write_private(folder / ROOT_KEY, root_key.private_bytes(pem, pkcs8, plain))
    _write_private(folder / SIGNER_KEY, signer_key.private_bytes(pem, pkcs8, plain))
    (folder / ROOT_CERT).write_bytes(root.public_bytes(pem))
    (folder / SIGNER_CHAIN).write_bytes(signer.public_bytes(pem) + root.public_bytes(pem))
    return folder


def _root_ca(organization: str, start: dt.datetime, end: dt.datetime) -> tuple[Any, Any]:
    """A P-256 key and the self-signed CA certificate it signs (path length 0)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    name = _name(f"{organization} root CA", organization)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(sign=False, ca=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, certificate


def _signer(common_name: str, organization: str, root_key: Any, root_name: Any,
            start: dt.datetime, end: dt.datetime) -> tuple[Any, Any]:
    """A P-256 key and its signing certificate, issued by the root CA."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID

    key = ec.generate_private_key(ec.SECP256R1())
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name, organization))
        .issuer_name(root_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(sign=True, ca=False), critical=True)
        # emailProtection: accepted by C2PA validators without a custom trust config.
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), critical=False)
        .sign(root_key, hashes.SHA256())
    )
    return key, certificate


def has_identity(folder: Path) -> bool:
    """Whether ``folder`` holds a local signing identity."""
    return (folder / SIGNER_CHAIN).is_file() and (folder / SIGNER_KEY).is_file()


def local_paths(folder: Path) -> tuple[Path, Path, Path]:
    """(signer chain, signer key, root certificate) of a local identity."""
    return folder / SIGNER_CHAIN, folder / SIGNER_KEY, folder / ROOT_CERT


def _algorithm(public_key) -> str:
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

    if isinstance(public_key, ec.EllipticCurvePublicKey):
        return {"secp256r1": "es256", "secp384r1": "es384", "secp521r1": "es512"}.get(public_key.curve.name, "")
    if isinstance(public_key, rsa.RSAPublicKey):
        return "ps256"
    if isinstance(public_key, ed25519.Ed25519PublicKey):
        return "ed25519"
    return ""


def check_chain(chain_pem: bytes, name: str, *, now: dt.datetime | None = None) -> str:
    """Check a signer chain for use with C2PA; returns the signing algorithm.

    Raises CredentialError naming the problem: not PEM, self-signed leaf, expired or not
    yet valid, missing digitalSignature usage, or no C2PA-accepted extended key usage.
    """
    from cryptography import x509
    from cryptography.x509.oid import ExtensionOID

    try:
        certs = x509.load_pem_x509_certificates(chain_pem)
    except ValueError as e:
        raise CredentialError(f"{name}: not a PEM certificate chain; give the signer certificate and its CA in PEM") from e
    leaf = certs[0]
    now = now or dt.datetime.now(dt.timezone.utc)
    subject = leaf.subject.rfc4514_string()
    if leaf.issuer == leaf.subject:
        raise CredentialError(
            f"{name}: the signer certificate ({subject}) is self-signed; C2PA needs one issued by a CA"
            " (run 'explainer keys init' for a local one)"
        )
    if leaf.not_valid_after_utc < now:
        raise CredentialError(
            f"{name}: the signer certificate expired on {leaf.not_valid_after_utc:%Y-%m-%d}; renew it"
            " (or run 'explainer keys init --force' for a new local one)"
        )
    if leaf.not_valid_before_utc > now:
        raise CredentialError(f"{name}: the signer certificate is not valid until {leaf.not_valid_before_utc:%Y-%m-%d}; check the clock or the certificate")
    try:
        usage = leaf.extensions.get_extension_for_oid(ExtensionOID.KEY_USAGE).value
        if not usage.digital_signature:
            raise CredentialError(f"{name}: the signer certificate lacks the digitalSignature key usage; issue one that has it")
    except x509.ExtensionNotFound:
        raise CredentialError(f"{name}: the signer certificate has no key usage extension; C2PA needs digitalSignature") from None
    try:
        ekus = {oid.dotted_string for oid in leaf.extensions.get_extension_for_oid(ExtensionOID.EXTENDED_KEY_USAGE).value}
    except x509.ExtensionNotFound:
        raise CredentialError(
            f"{name}: the signer certificate has no extended key usage; C2PA needs one such as emailProtection"
        ) from None
    if not ekus & set(C2PA_EKUS):
        raise CredentialError(
            f"{name}: the signer certificate's extended key usages are not accepted by C2PA; use emailProtection or documentSigning"
        )
    try:
        leaf.extensions.get_extension_for_oid(ExtensionOID.AUTHORITY_KEY_IDENTIFIER)
    except x509.ExtensionNotFound:
        raise CredentialError(
            f"{name}: the signer certificate has no authority key identifier, which C2PA requires; reissue it with one"
        ) from None
    if len(certs) == 1:
        raise CredentialError(f"{name}: holds only the signer certificate; append its issuing CA certificate(s)")
    alg = _algorithm(leaf.public_key())
    if not alg:
        raise CredentialError(f"{name}: unsupported key type; use EC P-256/P-384/P-521, RSA or Ed25519")
    return alg


def load_credentials(chain_path: Path, key_path: Path, password: str | None = None) -> Credentials:
    """Read and check a signer chain and its private key (optionally password-protected)."""
    from cryptography.hazmat.primitives import serialization

    for path in (chain_path, key_path):
        if not path.is_file():
            raise CredentialError(f"{path}: no such file; check the path (or run 'explainer keys init')")
    chain_pem = chain_path.read_bytes()
    alg = check_chain(chain_pem, chain_path.name)
    key_bytes = key_path.read_bytes()
    try:
        key = serialization.load_pem_private_key(key_bytes, password=password.encode() if password else None)
    except TypeError as e:
        if password:
            raise CredentialError(f"{key_path.name}: the key is not encrypted; drop the password") from e
        raise CredentialError(
            f"{key_path.name}: the key is password-protected; give the password (EXPLAINER_SIGN_KEY_PASSWORD)"
        ) from e
    except ValueError as e:
        if password:
            raise CredentialError(f"{key_path.name}: wrong password for the private key; check it and try again") from e
        raise CredentialError(f"{key_path.name}: not a PEM private key; give the signer's key in PEM") from e
    leaf_public = Credentials(chain_pem, b"", alg).leaf().public_key()
    pub = serialization.PublicFormat.SubjectPublicKeyInfo
    if key.public_key().public_bytes(serialization.Encoding.PEM, pub) != leaf_public.public_bytes(serialization.Encoding.PEM, pub):
        raise CredentialError(
            f"{key_path.name}: this private key does not belong to the certificate in {chain_path.name}; pair the right files"
        )
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return Credentials(chain_pem, key_pem, alg, chain_path, key_path)


@dataclass(frozen=True)
class IdentityInfo:
    """What `explainer keys show` prints."""

    subject: str
    issuer: str
    fingerprint_sha256: str
    not_before: str
    not_after: str
    chain_path: Path
    key_path: Path
    root_path: Path | None


def describe(chain_path: Path, key_path: Path, root_path: Path | None = None) -> IdentityInfo:
    """Subject, fingerprint, validity and file locations of a signer certificate."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    leaf = x509.load_pem_x509_certificates(chain_path.read_bytes())[0]
    return IdentityInfo(
        subject=leaf.subject.rfc4514_string(),
        issuer=leaf.issuer.rfc4514_string(),
        fingerprint_sha256=leaf.fingerprint(hashes.SHA256()).hex(":").upper(),
        not_before=f"{leaf.not_valid_before_utc:%Y-%m-%d %H:%M} UTC",
        not_after=f"{leaf.not_valid_after_utc:%Y-%m-%d %H:%M} UTC",
        chain_path=chain_path,
        key_path=key_path,
        root_path=root_path,
    )
