"""The soft-binding watermark inside a shot's own ffmpeg graph, so marking costs no extra encode.

The mark goes on the shot's footage (the drifting background, the photo, the generated
clip) before the type and the chrome are laid over it: text stays crisp, and a headline that
changes mid-shot leaves no ghost of the mark's reference frame. One frame of the footage is
drawn first; provenance/ marks it and returns the change as a residual frame, which the graph
adds to every frame (``blend=grainmerge``: A + B - 128, so 128 is no change). The blocks the
type covers read wrong; the payload repeats ~9 times over the frame (16:9), so the vote holds.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import RenderError
from ..assembly.media import run_ffmpeg
from .base import RenderJob
from provenance.watermark import WORKING_LONG_SIDE

#: Changes whenever where or how the mark is drawn changes (it is part of the shot's cache key).
PLACEMENT = f"footage-{WORKING_LONG_SIDE}"
#: Where in the shot the reference frame is taken.
REFERENCE_S = 1.0


def watermarked(video, job: RenderJob, folder: Path, feed: bytes | None = None):
    """``video`` (an ffmpeg-python stream of the shot) with ``job.mark`` added; unchanged when
    the job carries no mark. ``feed`` is what the graph reads on its ``pipe:`` input, if any."""
    import ffmpeg

    from provenance.watermark import residual

    if job.mark is None:
        return video
    at = min(job.frames - 1, round(REFERENCE_S * job.fps))
    reference = folder / "reference.yuv"
    still = ffmpeg.output(video.filter("trim", start_frame=at, end_frame=at + 1), str(reference),
                          f="rawvideo", pix_fmt="yuv420p", vframes=1)
    run_ffmpeg(still.get_args(), "drawing the frame the watermark is computed on", error=RenderError, feed=feed)
    frame = reference.read_bytes()
    if len(frame) != job.width * job.height * 3 // 2:
        raise RenderError(f"the watermark's reference frame is {len(frame)} bytes, not one {job.width}x{job.height} frame")
    mark = folder / "mark.yuv"
    mark.write_bytes(residual(frame, job.width, job.height, job.mark, job.mark_strength))
    change = (ffmpeg.input(str(mark), f="rawvideo", pix_fmt="yuv420p", s=f"{job.width}x{job.height}")
              .filter("loop", loop=-1, size=1, start=0).filter("setpts", f"N/{job.fps}/TB"))
    return ffmpeg.filter([video.filter("format", "yuv420p"), change], "blend", all_mode="grainmerge")
