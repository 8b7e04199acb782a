#!/usr/bin/env python3
"""Writes a giant JPEG upscaled from a real photo: 4:2:0, quality 90, baseline or progressive.

usage: giant_jpeg.py OUTPUT WIDTH HEIGHT {baseline|progressive}

The photo is ../shared/images/photos' first 4:3 one of at least 1600 px, upscaled with Pillow's
bilinear filter (its detail is the photo's, spread over the larger frame, as a camera upscale
or a print scan gives).
"""
import glob
import os
import sys

from PIL import Image

output, width, height, kind = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "images", "photos")
source = None
for path in sorted(glob.glob(os.path.join(root, "*", "*.jpg"))):
    with Image.open(path) as image:
        if image.size[0] >= 1600 and abs(image.size[0] / image.size[1] - 4 / 3) < 0.01:
            source = image.convert("RGB")
            break
if source is None:
    sys.exit("no 4:3 photo of at least 1600 px under " + root)
source.resize((width, height), Image.BILINEAR).save(
    output, "JPEG", quality=90, subsampling=2, progressive=kind == "progressive", optimize=False)
