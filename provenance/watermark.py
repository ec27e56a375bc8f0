"""An invisible watermark that carries a soft-binding identifier in a video's frames.

The mark is invisible-watermark's DWT-DCT-SVD algorithm (quantisation of each 4x4 block's
largest singular value in the wavelet band of the chroma U plane), applied at a working
resolution of 320 px on the long side. The 12-byte payload is a magic byte, a 7-byte
identifier and 4 Reed-Solomon parity bytes, so two wrong bytes are corrected and random
content almost never reads as a payload.

Marking every frame with the library costs ~0.1 s a frame. Our shots are graphics over a
still background, whose chroma does not change within a shot, so the mark is
computed once per shot on a reference frame and the change it makes to the U plane is added
to every frame of the shot (a residual; the renderer's ffmpeg graph adds it). Detection reads
a frame as the library's decoder does, for all strengths at once with one batched SVD (the
library's decoder makes one Python call per block and per strength); ``detection`` reads a
file's frames, votes over neighbouring samples and needs two agreeing windows before it
reports an identifier.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np


#: Our name for the algorithm in ``c2pa.soft-binding`` (it is not on the C2PA list, so it is
#: namespaced; the payload layout is part of the name's version).
ALGORITHM = "org.explainer.invisible-watermark.dwtDctSvd-u.1"
MAGIC = 0xEA
ID_BYTES = 7
PARITY_BYTES = 4
PAYLOAD_BITS = 8 * (1 + ID_BYTES + PARITY_BYTES)
#: The library's quantisation steps on the U plane a mark may use (the detector must know the
#: step, so it tries each); 36 keeps PSNR near 41 dB on our frames, 48 survives more, 24 shows less.
STRENGTHS = (24, 36, 48)
DEFAULT_STRENGTH = 36
#: 320 px on the long side: larger blocks than at 512 px survive a copy scaled to half size
#: (measured: on a 1:1 video the bit error rate after halving fell from 0.08 to 0.01).
WORKING_LONG_SIDE = 320
BLOCK = 4
#: The residual is blurred by this many chroma pixels (Gaussian sigma): the 32 px tiles of the
#: working resolution no longer show as edges on smooth backgrounds, and the encoder spends
#: far fewer bits on them; reads after a half-size copy stay well inside what the vote corrects.
SOFTEN_PX = 1.5


@lru_cache(maxsize=1)
def library_algorithm() -> Any:
    """invisible-watermark's own DWT-DCT-SVD class: the reference our batched embed and read
    are held to, byte for byte (tests/test_soft_binding.py).

    The package's ``__init__`` imports torch for its RivaGAN model, which we do not use; the
    algorithm's own module needs only numpy, OpenCV and PyWavelets, so it is loaded alone.
    """
    spec = importlib.util.find_spec("imwatermark")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(
            "the reference algorithm needs invisible-watermark: pip install --no-deps invisible-watermark==0.2.0")
    path = Path(next(iter(spec.submodule_search_locations))) / "dwtDctSvd.py"
    module_spec = importlib.util.spec_from_file_location("explainer_imwatermark_dwtdctsvd", path)
    assert module_spec and module_spec.loader
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return module.EmbedDwtDctSvd


def available() -> bool:
    """Whether the libraries the mark runs on are installed (checked without importing them)."""
    return all(importlib.util.find_spec(name) is not None for name in ("cv2", "pywt", "reedsolo"))


def working_size(width: int, height: int) -> tuple[int, int]:
    """The resolution the mark lives at: ``WORKING_LONG_SIDE`` on the long side, multiples of 8
    (one block of the wavelet band), the same for any copy of the same shape."""
    # A copy scaled or padded by others is a row or two off its shape (406 rows for 405):
    # within 1.5% of one of ours, it is read at ours, or the blocks would not line up.
    for w, h in ((16, 9), (9, 16), (1, 1)):
        if abs(width / height - w / h) / (w / h) < 0.015:
            width, height = w * 1000, h * 1000
            break
    scale = WORKING_LONG_SIDE / max(width, height)
    return max(8, round(width * scale / 8) * 8), max(8, round(height * scale / 8) * 8)


@lru_cache(maxsize=1)
def _codec() -> Any:
    from reedsolo import RSCodec

    return RSCodec(PARITY_BYTES)


def payload_bits(identifier: bytes) -> np.ndarray:
    """The 96 bits a frame carries for ``identifier`` (7 bytes)."""
    if len(identifier) != ID_BYTES:
        raise ValueError(f"a watermark identifier is {ID_BYTES} bytes, not {len(identifier)}")
    coded = bytes(_codec().encode(bytes([MAGIC]) + identifier))
    return np.unpackbits(np.frombuffer(coded, np.uint8))


def identifier_of(bits: np.ndarray) -> bytes | None:
    """The identifier in 96 read bits, corrected; None unless they form a payload."""
    from reedsolo import ReedSolomonError

    raw = np.packbits(bits.astype(np.uint8)).tobytes()
    try:
        message = bytes(_codec().decode(raw)[0])
    except ReedSolomonError:
        return None
    return message[1:] if message[0] == MAGIC else None


def residual(frame_bgr: np.ndarray, identifier: bytes, strength: int = DEFAULT_STRENGTH) -> bytes:
    """A yuv420p frame to add (``A + B - 128``) to every frame of a shot to mark it.

    ``frame_bgr`` is the shot's reference frame (BGR, full size, even sides). Y and V are 128
    (no change); U is 128 plus the change the algorithm makes to the reference frame's U plane
    at the working resolution, scaled to the chroma plane and softened (``SOFTEN_PX``).
    """
    import cv2

    if strength not in STRENGTHS:
        raise ValueError(f"watermark strength {strength} is not one of {', '.join(map(str, STRENGTHS))}")
    height, width = frame_bgr.shape[:2]
    small = cv2.resize(frame_bgr, working_size(width, height), interpolation=cv2.INTER_AREA)
    marked = embed(small, payload_bits(identifier), strength)
    change = cv2.cvtColor(marked, cv2.COLOR_BGR2YUV)[..., 1].astype(np.float32) - cv2.cvtColor(small, cv2.COLOR_BGR2YUV)[..., 1]
    u = cv2.resize(change, (width // 2, height // 2), interpolation=cv2.INTER_LINEAR)
    if SOFTEN_PX:
        u = cv2.GaussianBlur(u, (0, 0), SOFTEN_PX)
    plane = np.clip(np.rint(u) + 128, 0, 255).astype(np.uint8)
    neutral_y = np.full(width * height, 128, np.uint8)
    neutral_v = np.full((width // 2) * (height // 2), 128, np.uint8)
    return neutral_y.tobytes() + plane.tobytes() + neutral_v.tobytes()


# The library visits each 4x4 block of the U plane's Haar wavelet band (LL) in a Python loop:
# a DCT, an SVD, and for embedding an inverse DCT, per block (~45 ms a 320 px frame, and
# again for each strength a read tries). The DCT is orthonormal, so a block's singular values
# are its own and moving the largest one is adding (new - old) * u0 v0^T to the block; one
# batched SVD over all blocks does the same work in ~7 ms.

def _u_band(bgr: np.ndarray) -> tuple[np.ndarray, np.ndarray, tuple, tuple[int, int]]:
    """The frame in YUV, its U plane's wavelet band and details, and the band's block grid."""
    import cv2
    import pywt

    rows, cols = bgr.shape[:2]
    yuv = cv2.cvtColor(bgr, cv2.COLOR_BGR2YUV)
    band, details = pywt.dwt2(yuv[:rows // 4 * 4, :cols // 4 * 4, 1], "haar")
    return yuv, band, details, (band.shape[0] // BLOCK, band.shape[1] // BLOCK)


def _blocks(band: np.ndarray, grid: tuple[int, int]) -> np.ndarray:
    """The band's 4x4 blocks, row by row, as an (n, 4, 4) array."""
    r, c = grid
    return band[:r * BLOCK, :c * BLOCK].reshape(r, BLOCK, c, BLOCK).swapaxes(1, 2).reshape(-1, BLOCK, BLOCK)


def embed(bgr: np.ndarray, bits: np.ndarray, strength: int) -> np.ndarray:
    """The frame (BGR, working size) marked with ``bits``: the library's encode, batched."""
    import cv2
    import pywt

    rows, cols = bgr.shape[:2]
    yuv, band, (h1, v1, d1), (r, c) = _u_band(bgr)
    blocks = _blocks(band, (r, c))
    u, s, vh = np.linalg.svd(blocks)
    wanted = np.asarray(bits, np.float64)[np.arange(len(blocks)) % len(bits)]
    target = (s[:, 0] // strength + 0.25 + 0.5 * wanted) * strength
    blocks = blocks + (target - s[:, 0])[:, None, None] * (u[:, :, :1] * vh[:, :1, :])
    band[:r * BLOCK, :c * BLOCK] = blocks.reshape(r, c, BLOCK, BLOCK).swapaxes(1, 2).reshape(r * BLOCK, c * BLOCK)
    # (v1, h1) in this order, as the library rebuilds the plane; the uint8 store truncates as its does.
    yuv[:rows // 4 * 4, :cols // 4 * 4, 1] = pywt.idwt2((band, (v1, h1, d1)), "haar")
    return cv2.cvtColor(yuv, cv2.COLOR_YUV2BGR)


def _largest_singular_values(bgr: np.ndarray) -> np.ndarray:
    """The largest singular value of each block of the U plane's wavelet band, in the
    order the library visits them (row by row), of a frame at working size."""
    _, band, _, grid = _u_band(bgr)
    return np.linalg.svd(_blocks(band, grid), compute_uv=False)[:, 0]


def read_bits(bgr: np.ndarray, strengths: tuple[int, ...] = STRENGTHS) -> dict[int, np.ndarray]:
    """The 96 bits one decoded frame (BGR, any size) carries at each strength, read as the
    library's decoder reads them: a block's bit is whether its largest singular value sits in
    the upper half of its quantisation step; each payload bit is the majority of its blocks."""
    values = block_values(bgr)
    return _vote(values, np.ones(values.size), strengths)


def block_values(bgr: np.ndarray) -> np.ndarray:
    """The blocks' largest singular values of a decoded frame (any size), read at working size."""
    import cv2

    height, width = bgr.shape[:2]
    return _largest_singular_values(cv2.resize(bgr, working_size(width, height), interpolation=cv2.INTER_AREA))


def bit_scores(values: np.ndarray, weights: np.ndarray, strength: int, shift: float = 0.0) -> np.ndarray:
    """For each payload bit, the share of its blocks (those with weight) that read 1 at
    ``strength``, every value moved by ``shift`` first."""
    slot = np.arange(values.size) % PAYLOAD_BITS
    counts = np.maximum(np.bincount(slot, weights=weights, minlength=PAYLOAD_BITS), 1e-9)
    ones = (((values + shift) % strength) > strength * 0.5).astype(np.float64)
    return np.bincount(slot, weights=ones * weights, minlength=PAYLOAD_BITS) / counts


def _vote(values: np.ndarray, weights: np.ndarray, strengths: tuple[int, ...]) -> dict[int, np.ndarray]:
    """Each payload bit as the majority of its blocks (those with weight), at each strength."""
    return {strength: (bit_scores(values, weights, strength) * 255 > 127).astype(np.uint8) for strength in strengths}


#: The share of each side a cropped copy may have kept, cropped evenly from the sides as
#: ffmpeg's crop filter and a platform's zoom do: 99% down to 80% (10% off each side), in
#: steps of 1% (a step's error moves the frame's edge blocks less than a pixel at working size).
CROP_KEPT = tuple(round(0.99 - 0.01 * i, 2) for i in range(20))


def read_bits_cropped(bgr: np.ndarray, kept: float, strengths: tuple[int, ...] = STRENGTHS) -> dict[int, np.ndarray]:
    """The bits of a copy cropped to ``kept`` of each side, read where they sat in the frame it
    was cut from: the copy is scaled to that frame's working size times ``kept``, centred on a
    frame of the full working size, and only the blocks wholly inside it vote."""
    import cv2

    height, width = bgr.shape[:2]
    full_w, full_h = working_size(round(width / kept), round(height / kept))
    w, h = round(full_w * kept), round(full_h * kept)
    x0, y0 = (full_w - w) // 2, (full_h - h) // 2
    canvas = np.full((full_h, full_w, 3), 128, np.uint8)
    canvas[y0 : y0 + h, x0 : x0 + w] = cv2.resize(bgr, (w, h), interpolation=cv2.INTER_AREA)
    values = _largest_singular_values(canvas)
    # A band block is 8 working pixels (working sizes are multiples of 8); a block with any
    # pixel outside the copy (or on its resampled edge) does not vote.
    r, c = np.divmod(np.arange(values.size), full_w // 8)
    inside = (c * 8 >= x0 + 1) & (c * 8 + 8 <= x0 + w - 1) & (r * 8 >= y0 + 1) & (r * 8 + 8 <= y0 + h - 1)
    return _vote(values, inside.astype(np.float64), strengths)
