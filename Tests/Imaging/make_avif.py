#!/usr/bin/env python3
"""Writes AVIF test files with Pillow's AVIF plugin (../shared/images holds none).

usage: make_avif.py OUT_DIR
prints [{"path", "width", "height", "alpha", "valid"}, ...] as JSON: photos of ../shared/images
at several sizes and qualities, an image with an alpha gradient, a three-frame sequence, and
broken files (truncated, the header only, a corrupted AV1 payload) that must fail cleanly.
"""
import json
import os
import sys

from PIL import Image

SHARED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "images")


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    photos = sorted(os.path.join(d, n) for d, _, names in os.walk(os.path.join(SHARED, "photos")) for n in names
                    if n.lower().endswith(".jpg"))[:6]
    files = []

    def add(image, name, alpha=False, **options):
        path = os.path.join(out, name)
        image.save(path, **options)
        files.append({"path": path, "width": image.width, "height": image.height, "alpha": alpha, "valid": True})
        return path

    for index, photo in enumerate(photos):
        image = Image.open(photo).convert("RGB")
        scale = [1.0, 0.5, 0.25][index % 3]
        if scale != 1.0:
            image = image.resize((max(1, int(image.width * scale)), max(1, int(image.height * scale))), Image.LANCZOS)
        add(image, f"photo-{index}.avif", quality=[50, 75, 90][index % 3])
    gradient = Image.new("RGBA", (480, 300))
    gradient.putdata([(x % 256, y % 256, (x + y) % 256, min(255, x // 2)) for y in range(300) for x in range(480)])
    add(gradient, "alpha.avif", alpha=True, quality=80)
    frames = [Image.new("RGB", (400, 240), color) for color in ((200, 30, 30), (30, 200, 30), (30, 30, 200))]
    path = os.path.join(out, "sequence.avif")
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=100, quality=70)
    files.append({"path": path, "width": 400, "height": 240, "alpha": False, "valid": True})

    whole = open(files[0]["path"], "rb").read()
    broken = {
        "truncated.avif": whole[: len(whole) // 2],
        "header-only.avif": whole[:64],
        "corrupt-payload.avif": whole[:-200] + bytes((b ^ 0x5A) for b in whole[-200:]),
    }
    for name, data in broken.items():
        path = os.path.join(out, name)
        with open(path, "wb") as handle:
            handle.write(data)
        files.append({"path": path, "width": 0, "height": 0, "alpha": False, "valid": False})
    print(json.dumps(files))


if __name__ == "__main__":
    main()
