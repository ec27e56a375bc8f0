"""Certificates for tests: made in code, each with one thing wrong."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn), x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Test Newsroom")])


def _usage(sign: bool, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(sign, False, False, False, False, ca, ca, False, False)


def make_chain(
    folder: Path,
    *,
    self_signed: bool = False,
    expired: bool = False,
    password: bytes | None = None,
    wrong_key: bool = False,
) -> tuple[Path, Path, Path]:
    """Write (chain.pem, key.pem, root.pem) into ``folder``, with the named flaw."""
    now = dt.datetime.now(dt.timezone.utc)
    root_key = ec.generate_private_key(ec.SECP256R1())
    root = (
        x509.CertificateBuilder().subject_name(_name("Test Root")).issuer_name(_name("Test Root"))
        .public_key(root_key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=800)).not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(False, True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), critical=False)
        .sign(root_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    issuer_name, issuer_key = (_name("Test Signer"), key) if self_signed else (root.subject, root_key)
    end = now - dt.timedelta(days=1) if expired else now + dt.timedelta(days=365)
    leaf = (
        x509.CertificateBuilder().subject_name(_name("Test Signer")).issuer_name(issuer_name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=400)).not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(True, False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False)
        .sign(issuer_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    stored_key = ec.generate_private_key(ec.SECP256R1()) if wrong_key else key
    encryption = serialization.BestAvailableEncryption(password) if password else serialization.NoEncryption()
    chain = folder / "chain.pem"
    chain.write_bytes(leaf.public_bytes(pem) + root.public_bytes(pem))
    key_path = folder / "key.pem"
    key_path.write_bytes(stored_key.private_bytes(pem, serialization.PrivateFormat.PKCS8, encryption))
    root_path = folder / "root.pem"
    root_path.write_bytes(root.public_bytes(pem))
    return chain, key_path, root_path


def signing_key(key_path: Path, password: bytes | None = None):
    """The private key object from a PEM file."""
    return serialization.load_pem_private_key(key_path.read_bytes(), password=password)
