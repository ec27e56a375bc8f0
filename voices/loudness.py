"""Loudness normalisation to a web target (ITU-R BS.1770 integrated loudness)."""

from __future__ import annotations

import numpy as np

#: Integrated loudness that web platforms normalise speech to.
WEB_TARGET_LUFS = -16.0
#: Sample peak ceiling after gain, to leave headroom for the AAC encoder.
PEAK_CEILING = 10 ** (-1.5 / 20)


def normalize_loudness(samples: np.ndarray, rate: int, target_lufs: float = WEB_TARGET_LUFS) -> np.ndarray:
    """Scale mono float samples to the target loudness, keeping peaks under -1.5 dBFS.

    Clips too short to measure (under 0.4 s) are returned unchanged. Where the gain would
    push peaks over the ceiling, the loudest peaks are softly compressed rather than clipped.
    """
    import pyloudnorm

    if len(samples) < int(0.4 * rate) or not np.any(samples):
        return samples.astype(np.float32)
    meter = pyloudnorm.Meter(rate)
    loudness = meter.integrated_loudness(samples.astype(np.float64))
    if not np.isfinite(loudness):
        return samples.astype(np.float32)
    gained = samples * (10 ** ((target_lufs - loudness) / 20))
    return soft_limit(gained).astype(np.float32)


def soft_limit(samples: np.ndarray, ceiling: float = PEAK_CEILING) -> np.ndarray:
    """Compress only the samples above 80% of the ceiling, smoothly, so none exceed it."""
    knee = 0.8 * ceiling
    out = samples.astype(np.float64).copy()
    over = np.abs(out) > knee
    if np.any(over):
        excess = np.abs(out[over]) - knee
        room = ceiling - knee
        out[over] = np.sign(out[over]) * (knee + room * np.tanh(excess / room))
    return out
