"""The demo's pictures: generated, never a real person's photo. An individual
gets a drawn portrait (a silhouette on a soft background, the initials in a
medallion), a collective or a household an emblem (three figures or a house
in a ring); each with the name written out below, so that the honour board
reads like one. Colours come from the name, so a name keeps its picture.

The text is set in Roboto, which Plone's Barceloneta theme ships with the
Vietnamese letters, so no system font is needed."""

from io import BytesIO
from pathlib import Path
from PIL import Image
from PIL import ImageDraw
from PIL import ImageFont

import hashlib
import plonetheme.barceloneta


SIZE = (480, 600)
FONTS = Path(plonetheme.barceloneta.__file__).parent / "theme" / "roboto"
GOLD = (212, 175, 55)
CREAM = (250, 246, 235)
INK = (33, 37, 41)
# Calm backgrounds, each (top, bottom) of a vertical gradient.
PALETTES = [
    ((26, 82, 118), (12, 44, 70)),  # blue
    ((22, 110, 90), (10, 60, 50)),  # green
    ((94, 53, 120), (52, 28, 70)),  # plum
    ((130, 76, 40), (74, 42, 22)),  # brown
    ((40, 96, 140), (20, 56, 84)),  # steel
    ((120, 40, 48), (66, 20, 26)),  # deep red
]


def font(size, bold=True):
    name = "roboto-bold.ttf" if bold else "roboto-regular.ttf"
    try:
        return ImageFont.truetype(str(FONTS / name), size)
    except OSError:  # a theme without its fonts: Pillow's own, which scales
        return ImageFont.load_default(size)


def palette(name):
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    return PALETTES[digest[0] % len(PALETTES)]


def initials(name):
    """The first letters of the last two words of a person's name, before a
    comma that adds their office: "Phạm Thị Ngọc Lan" is NL, as Vietnamese
    call people by their given name."""
    words = [word for word in name.split(",")[0].split() if word[:1].isalpha()]
    return "".join(word[0] for word in words[-2:]).upper()


def gradient(size, top, bottom):
    image = Image.new("RGB", size, top)
    draw = ImageDraw.Draw(image)
    width, height = size
    for y in range(height):
        share = y / max(height - 1, 1)
        colour = tuple(round(a + (b - a) * share) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (width, y)], fill=colour)
    return image


def figure(draw, centre_x, top, scale, colour):
    """A head and shoulders, ``scale`` times the unit size."""
    head = 46 * scale
    draw.ellipse(
        [centre_x - head, top, centre_x + head, top + 2 * head],
        fill=colour,
    )
    shoulders_top = top + 2 * head + 10 * scale
    draw.rounded_rectangle(
        [centre_x - 92 * scale, shoulders_top, centre_x + 92 * scale, shoulders_top + 130 * scale],
        radius=int(70 * scale),
        fill=colour,
    )


def house(draw, centre_x, top, colour):
    draw.polygon(
        [(centre_x - 110, top + 95), (centre_x, top), (centre_x + 110, top + 95)], fill=colour
    )
    draw.rectangle([centre_x - 82, top + 95, centre_x + 82, top + 215], fill=colour)
    draw.rectangle([centre_x - 22, top + 145, centre_x + 22, top + 215], fill=INK)


def caption(draw, name, top):
    """The name, centred below ``top``, on at most four lines of the largest
    size that holds it whole."""
    width, height = SIZE
    for size in (34, 30, 26, 22, 18):
        text_font = font(size)
        lines = wrap(draw, name, text_font, width - 60)
        if len(lines) * (size + 10) <= height - top - 20:
            break
    for number, line in enumerate(lines):
        line_width = draw.textlength(line, font=text_font)
        y = top + number * (text_font.size + 10)
        draw.text(((width - line_width) / 2, y), line, font=text_font, fill=CREAM)


def wrap(draw, text, text_font, max_width):
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and draw.textlength(candidate, font=text_font) > max_width:
            lines.append(line)
            line = word
        else:
            line = candidate
    return [*lines, line]


def picture(name, kind):
    """PNG bytes of the picture of candidate ``name`` of ``kind``
    (individual, collective or household)."""
    top, bottom = palette(name)
    image = gradient(SIZE, top, bottom)
    draw = ImageDraw.Draw(image)
    width, height = SIZE
    centre = width // 2
    # The medallion: a gold ring with the figure or the house in it.
    ring = [centre - 150, 40, centre + 150, 340]
    draw.ellipse(ring, fill=tuple(min(255, c + 30) for c in top), outline=GOLD, width=10)
    light = tuple(min(255, c + 150) for c in top)
    if kind == "collective":
        figure(draw, centre - 78, 128, 0.55, light)
        figure(draw, centre + 78, 128, 0.55, light)
        figure(draw, centre, 100, 0.7, CREAM)
    elif kind == "household":
        house(draw, centre, 90, CREAM)
    else:
        figure(draw, centre, 88, 0.95, CREAM)
        badge = [centre + 62, 236, centre + 150, 324]
        draw.ellipse(badge, fill=GOLD, outline=CREAM, width=4)
        letters = initials(name)
        badge_font = font(40)
        letters_width = draw.textlength(letters, font=badge_font)
        draw.text(
            (centre + 106 - letters_width / 2, 280 - badge_font.size * 0.6),
            letters,
            font=badge_font,
            fill=INK,
        )
    draw.rectangle([0, 0, width - 1, height - 1], outline=GOLD, width=8)
    draw.line([(centre - 120, 372), (centre + 120, 372)], fill=GOLD, width=3)
    caption(draw, name, 392)
    data = BytesIO()
    image.save(data, "PNG", optimize=True)
    return data.getvalue()
