"""The signer seam: whatever holds the key, C2PA gets a signature over the claim bytes.

``LocalKeySigner`` signs with a key file. ``CallbackSigner`` hands the bytes to a function,
which is how a key in a KMS or HSM plugs in: the function sends the bytes to the service
and returns its signature (DER or raw r||s for ECDSA); the private key never leaves it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Protocol, runtime_checkable

from .identity import Credentials, check_chain


@runtime_checkable
class ClaimSigner(Protocol):
    """Produces a fresh c2pa signer for one signing operation."""

    alg: str
    chain_pem: bytes
    tsa_url: str | None

    def describe(self) -> dict[str, str]:
        """Who signs (subject and issuer of the signer certificate), for the record."""
        ...

    def c2pa_signer(self):
        """A new ``c2pa.Signer`` (the native library consumes it)."""
        ...


def _describe_chain(chain_pem: bytes) -> dict[str, str]:
    from cryptography import x509

    leaf = x509.load_pem_x509_certificates(chain_pem)[0]
    return {"subject": leaf.subject.rfc4514_string(), "issuer": leaf.issuer.rfc4514_string()}


def _alg(name: str):
    import c2pa

    return getattr(c2pa.C2paSigningAlg, name.upper())


@dataclass(frozen=True)
class LocalKeySigner:
    """Signs with checked credentials held in memory."""

    credentials: Credentials
    tsa_url: str | None = None

    @property
    def alg(self) -> str:
        """Signing algorithm of the key."""
        return self.credentials.alg

    @property
    def chain_pem(self) -> bytes:
        """Certificate chain, signer first."""
        return self.credentials.chain_pem

    def describe(self) -> dict[str, str]:
        """Who signs: subject and issuer of the signer certificate."""
        return _describe_chain(self.chain_pem)

    def c2pa_signer(self):
        """A native signer built from the key and chain."""
        import c2pa

        info = c2pa.C2paSignerInfo(
            self.alg.encode(), self.chain_pem, self.credentials.key_pem, self.tsa_url.encode() if self.tsa_url else None
        )
        return c2pa.Signer.from_info(info)


@dataclass(frozen=True)
class CallbackSigner:
    """Signs through a function: the seam for keys in a KMS, an HSM or a signing service."""

    chain_pem: bytes
    sign: Callable[[bytes], bytes]
    alg: str = "es256"
    tsa_url: str | None = None

    def __post_init__(self) -> None:
        # The chain is checked like a local one: the same errors, before any work.
        check_chain(self.chain_pem, "callback signer chain")

    def describe(self) -> dict[str, str]:
        """Who signs: subject and issuer of the signer certificate."""
        return _describe_chain(self.chain_pem)

    def c2pa_signer(self):
        """A native signer that calls ``sign`` for the signature."""
        import c2pa

        return c2pa.Signer.from_callback(self.sign, _alg(self.alg), self.chain_pem.decode(), self.tsa_url)
