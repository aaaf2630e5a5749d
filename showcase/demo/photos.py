"""Demo photos drawn locally with Pillow, one per size word of Gedeon's photo URLs."""

from __future__ import annotations

import io
import random
from functools import lru_cache

from PIL import Image, ImageDraw

# Gedeon's size words (spec, "photos") and the box each fits in.
SIZES = {
    "thumb": (50, 50),
    "medium": (100, 100),
    "large": (300, 300),
    "large2": (640, 480),
    "large3": (800, 600),
}
_SKIES = ((118, 170, 219), (247, 182, 120), (160, 200, 230), (201, 214, 223), (250, 210, 160))
_WALLS = ((236, 224, 200), (214, 196, 170), (245, 245, 240), (222, 203, 186), (200, 180, 160))
_ROOFS = ((150, 60, 45), (90, 90, 100), (120, 70, 50), (60, 70, 80))


@lru_cache(maxsize=512)
def photo_jpeg(ad_id: int, number: int, size: str) -> bytes:
    """A JPEG of a house under a sky, the same for the same ad and photo number."""
    width, height = SIZES[size]
    # Photos are landscape 4:3 shots fitted inside the box of the size word.
    if width == height:
        height = width * 3 // 4
    rng = random.Random(ad_id * 100 + number)
    image = Image.new("RGB", (width, height), rng.choice(_SKIES))
    draw = ImageDraw.Draw(image)
    ground = int(height * 0.72)
    draw.rectangle((0, ground, width, height), fill=(110 + rng.randint(0, 40), 150, 90))
    house_w = int(width * rng.uniform(0.35, 0.55))
    left = rng.randint(int(width * 0.05), width - house_w - int(width * 0.05))
    wall_top = int(height * rng.uniform(0.38, 0.5))
    draw.rectangle((left, wall_top, left + house_w, ground), fill=rng.choice(_WALLS))
    draw.polygon(
        [
            (left - width // 40, wall_top),
            (left + house_w // 2, int(height * 0.18)),
            (left + house_w + width // 40, wall_top),
        ],
        fill=rng.choice(_ROOFS),
    )
    door_w = max(house_w // 7, 2)
    draw.rectangle(
        (
            left + house_w // 2 - door_w // 2,
            ground - (ground - wall_top) // 2,
            left + house_w // 2 + door_w // 2,
            ground,
        ),
        fill=(90, 60, 40),
    )
    for offset in (0.18, 0.72):
        wx = left + int(house_w * offset)
        draw.rectangle(
            (
                wx,
                wall_top + (ground - wall_top) // 5,
                wx + door_w,
                wall_top + (ground - wall_top) // 5 + door_w,
            ),
            fill=(80, 120, 160),
        )
    if width >= 300:
        draw.text((8, 8), f"Annonce {ad_id} - photo {number}", fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=75, optimize=True)
    return out.getvalue()


@lru_cache(maxsize=16)
def logo_png(text: str) -> bytes:
    image = Image.new("RGB", (160, 60), (29, 78, 137))
    ImageDraw.Draw(image).text((10, 22), text[:22], fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()
