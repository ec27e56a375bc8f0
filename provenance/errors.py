"""Errors of the provenance package (a leaf: it knows nothing of the rest of the project)."""

from __future__ import annotations


class ProvenanceError(Exception):
    """Base of provenance errors. The message says what is wrong and what to do."""

    exit_code = 1


class CredentialError(ProvenanceError):
    """Signing credentials are missing, malformed, expired or do not fit together."""

    exit_code = 2


class SigningError(ProvenanceError):
    """The C2PA library could not sign a file."""
