"""Assembly: shot clips and narration into one MP4 with captions and audio description.

``timing`` turns narration lengths into frame counts, ``captions`` and ``descriptions`` make
the text tracks, ``assemble`` muxes everything with ffmpeg, and ``media`` holds the ffmpeg
helpers every stage shares.
"""
