#!/usr/bin/env python3
"""SSIM of thumbnails against Pillow's own resize of the same first frame.

usage: compare_thumbnails.py PAIRS.json   ([[original, thumbnail], ...])
prints {thumbnail: ssim, ...} as JSON.

The reference is Pillow's first frame converted to RGBA and resized with LANCZOS to the
thumbnail's size. Both are composited over mid-grey (so transparency counts where it shows) and
compared as 8-bit RGB: SSIM with a Gaussian window (sigma 1.5, 11 taps), mean over channels, as
skimage's structural_similarity(gaussian_weights=True, use_sample_covariance=False) computes it.
"""
import json
import sys

import numpy as np
from PIL import Image


def on_grey(image):
    image = image.convert("RGBA")
    grey = Image.new("RGBA", image.size, (128, 128, 128, 255))
    return np.asarray(Image.alpha_composite(grey, image).convert("RGB"), dtype=np.float64)


def blur(plane, kernel):
    radius = len(kernel) // 2
    padded = np.pad(plane, radius, mode="symmetric")
    rows = sum(kernel[i] * padded[:, i:i + plane.shape[1]] for i in range(len(kernel)))
    return sum(kernel[i] * rows[i:i + plane.shape[0], :] for i in range(len(kernel)))


def ssim(a, b):
    taps = np.arange(11) - 5
    kernel = np.exp(-(taps ** 2) / (2 * 1.5 ** 2))
    kernel /= kernel.sum()
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    scores = []
    for channel in range(3):
        x, y = a[:, :, channel], b[:, :, channel]
        mx, my = blur(x, kernel), blur(y, kernel)
        vx = blur(x * x, kernel) - mx * mx
        vy = blur(y * y, kernel) - my * my
        cxy = blur(x * y, kernel) - mx * my
        s = ((2 * mx * my + c1) * (2 * cxy + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2))
        scores.append(s[5:-5, 5:-5].mean() if min(s.shape) > 10 else s.mean())
    return float(np.mean(scores))


def main():
    pairs = json.load(open(sys.argv[1]))
    result = {}
    for original, thumbnail in pairs:
        ours = Image.open(thumbnail)
        reference = Image.open(original)
        reference.seek(0)
        reference = reference.convert("RGBA").resize(ours.size, Image.LANCZOS)
        result[thumbnail] = ssim(on_grey(reference), on_grey(ours))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
