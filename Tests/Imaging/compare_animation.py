#!/usr/bin/env python3
"""Animated thumbnails against Pillow's own frames.

usage: compare_animation.py PAIRS.json   ([[original, thumbnail], ...])
prints {thumbnail: {"frames": [original's, thumbnail's], "durations": [total ms, total ms],
"ssim_mean": m, "ssim_min": n}} as JSON. Each frame of the original as Pillow composites it,
resized with LANCZOS, against the thumbnail's frame showing at the same moment (an encoder may
merge identical consecutive frames into one longer frame), both over mid-grey
(compare_thumbnails.py's SSIM).
"""
import json
import sys

from PIL import Image

from compare_thumbnails import on_grey, ssim


def main():
    pairs = json.load(open(sys.argv[1]))
    result = {}
    for original, thumbnail in pairs:
        ours = Image.open(thumbnail)
        reference = Image.open(original)
        counts = [getattr(reference, "n_frames", 1), getattr(ours, "n_frames", 1)]
        ends = []
        elapsed = 0
        for index in range(counts[1]):
            ours.seek(index)
            ours.load()  # Pillow's WebP reader sets a frame's duration when it loads it
            elapsed += ours.info.get("duration", 0)
            ends.append(elapsed)
        scores = []
        start = 0
        for index in range(counts[0]):
            reference.seek(index)
            reference.load()
            frame = reference.convert("RGBA")
            shown = next((j for j, end in enumerate(ends) if start < end), len(ends) - 1)
            ours.seek(shown)
            scores.append(ssim(on_grey(frame.resize(ours.size, Image.LANCZOS)), on_grey(ours)))
            duration = reference.info.get("duration", 0)
            # Browsers (and our decoder) show a GIF delay of 0 or 10 ms as 100 ms.
            start += 100 if duration <= 10 else duration
        result[thumbnail] = {"frames": counts, "durations": [start, elapsed],
                             "ssim_mean": sum(scores) / len(scores), "ssim_min": min(scores)}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
