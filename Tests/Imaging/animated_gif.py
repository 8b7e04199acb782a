#!/usr/bin/env python3
"""Writes an animated GIF of FRAMES frames of WIDTH x HEIGHT (a box moving over a changing
background), palette images drawn directly so that even 500 frames take a moment.

usage: animated_gif.py OUT FRAMES WIDTH HEIGHT
"""
import sys

from PIL import Image, ImageDraw

out, frames, width, height = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
palette = []
for index in range(256):
    palette += [index, 80, 255 - index]
images = []
for index in range(frames):
    image = Image.new("P", (width, height), index % 255)
    image.putpalette(palette)
    draw = ImageDraw.Draw(image)
    x = (index * 7) % max(1, width - 40)
    draw.rectangle([x, 20, x + 40, 60], fill=255)
    images.append(image)
images[0].save(out, save_all=True, append_images=images[1:], duration=40, loop=0, optimize=False)
