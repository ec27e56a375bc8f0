"""C2PA library settings: offline, trust anchors, and the EKUs a signer may carry."""

from __future__ import annotations

from .identity import C2PA_EKUS


def c2pa_settings(anchors_pem: str | None = None) -> dict:
    """Settings for reading and signing: no network, anchors added to the trust list.

    Remote manifests and OCSP are never fetched: verification here is offline, and a file
    whose manifest lives elsewhere is reported as unreadable rather than fetched.
    """
    trust: dict[str, str] = {"trust_config": "\n".join(C2PA_EKUS) + "\n"}
    if anchors_pem:
        trust["user_anchors"] = anchors_pem
    return {
        "version": 1,
        "verify": {"remote_manifest_fetch": False, "ocsp_fetch": False, "verify_trust": True},
        "builder": {"thumbnail": {"enabled": False}},
        "trust": trust,
        # CAWG identity credentials are meant to be judged against the same anchors as claim
        # signers; the library 0.38 does not apply these per-reader CAWG settings yet.
        "cawg_trust": {"verify_trust_list": True, **{k: v for k, v in trust.items() if k == "user_anchors"}},
    }


def context(anchors_pem: str | None = None):
    """A c2pa Context with ``c2pa_settings``."""
    import c2pa

    return c2pa.Context(settings=c2pa.Settings.from_dict(c2pa_settings(anchors_pem)))
