"""The soft-binding watermark inside a shot's own ffmpeg graph, so marking costs no extra encode.

The mark goes on the shot's footage (the still background, the photo, the generated
clip) before the type and the chrome are laid over it: text stays crisp, and a headline that
changes mid-shot leaves no ghost of the mark's reference frame. One frame of the footage is
drawn first (by the caller, or by ffmpeg); provenance/ marks it and returns the change as a residual frame, which the graph
adds to every frame (``blend=grainmerge``: A + B - 128, so 128 is no change). The blocks the
type covers read wrong; the payload repeats ~9 times over the frame (16:9), so the vote holds.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from ..errors import RenderError
from ..assembly.media import run_ffmpeg
from .base import RenderJob
from .overlay import looped
from provenance.watermark import SOFTEN_PX, WORKING_LONG_SIDE

#: Changes whenever where or how the mark is drawn changes (it is part of the shot's cache key).
PLACEMENT = f"footage-{WORKING_LONG_SIDE}-soft{SOFTEN_PX}"
#: Where in the shot the reference frame is taken.
REFERENCE_S = 1.0


def watermarked(video, job: RenderJob, folder: Path, feed: bytes | None = None, reference: Image.Image | None = None):
    """``video`` (an ffmpeg-python stream of the shot) with ``job.mark`` added; unchanged when
    the job carries no mark. ``feed`` is what the graph reads on its ``pipe:`` input, if any.
    ``reference`` is the footage's frame at ``REFERENCE_S`` when the caller can draw it itself
    (a card's background); otherwise ffmpeg draws it from ``video``, one more process per shot."""
    import ffmpeg
    import numpy as np

    from provenance.watermark import residual

    if job.mark is None:
        return video
    if reference is not None:
        frame = np.asarray(reference.convert("RGB"))[..., ::-1]
    else:
        frame = _reference_frame(video, job, folder, feed)
    mark = folder / "mark.yuv"
    mark.write_bytes(residual(frame, job.mark, job.mark_strength))
    change = looped(ffmpeg.input(str(mark), f="rawvideo", pix_fmt="yuv420p", s=f"{job.width}x{job.height}"), job.fps)
    # Only U carries the mark; "normal" passes Y and V through untouched (a plane copy).
    # ``shortest``: the mark repeats for ever; the footage says when the shot ends.
    return ffmpeg.filter([video.filter("format", "yuv420p"), change], "blend", shortest=1,
                         c0_mode="normal", c1_mode="grainmerge", c2_mode="normal")


def _reference_index(job: RenderJob) -> int:
    """The frame the mark is computed on: the one at ``REFERENCE_S``, or the last of a shorter shot."""
    return min(job.frames - 1, round(REFERENCE_S * job.fps))


def _reference_frame(video, job: RenderJob, folder: Path, feed: bytes | None):
    """The footage's frame at ``REFERENCE_S`` (BGR), drawn by ffmpeg."""
    import cv2
    import ffmpeg
    import numpy as np

    at = _reference_index(job)
    reference = folder / "reference.yuv"
    still = ffmpeg.output(video.filter("trim", start_frame=at, end_frame=at + 1), str(reference),
                          f="rawvideo", pix_fmt="yuv420p", vframes=1)
    run_ffmpeg(still.get_args(), "drawing the frame the watermark is computed on", error=RenderError, feed=feed)
    raw = reference.read_bytes()
    if len(raw) != job.width * job.height * 3 // 2:
        raise RenderError(f"the watermark's reference frame is {len(raw)} bytes, not one {job.width}x{job.height} frame")
    return cv2.cvtColor(np.frombuffer(raw, np.uint8).reshape(job.height * 3 // 2, job.width), cv2.COLOR_YUV2BGR_I420)
