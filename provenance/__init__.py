"""C2PA Content Credentials for Explainer: identities, manifests, signing, verification.

A leaf package: it imports nothing else of the project and verifies any file, made here
or not.
"""

from .errors import CredentialError, ProvenanceError, SigningError
from .identity import Credentials, IdentityInfo, check_chain, describe, has_identity, init_identity, load_credentials, local_paths
from .manifest import (
    ALGORITHMIC,
    AI_SOURCE_TYPES,
    COMPOSITE_TRAINED,
    TRAINED,
    Component,
    ManifestSpec,
    MarkedSpan,
    SoftBinding,
    manifest_definition,
    overall_source_type,
)
from .sign import sign_file
from .signers import CallbackSigner, ClaimSigner, LocalKeySigner
from .verify import EXIT_CODES, RECORD_LABEL, SHOTS_LABEL, Report, read_assertions, verify

__all__ = [
    "AI_SOURCE_TYPES", "ALGORITHMIC", "COMPOSITE_TRAINED", "CallbackSigner", "ClaimSigner", "Component", "CredentialError",
    "Credentials", "EXIT_CODES", "IdentityInfo", "LocalKeySigner", "ManifestSpec", "MarkedSpan", "SoftBinding", "ProvenanceError", "RECORD_LABEL",
    "Report", "SHOTS_LABEL", "SigningError", "TRAINED", "check_chain", "describe", "has_identity", "init_identity",
    "load_credentials", "local_paths", "manifest_definition", "overall_source_type", "read_assertions", "sign_file", "verify",
]
