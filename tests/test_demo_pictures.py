"""The demo's pictures: generated portraits and emblems with the name written
out, one per kind, the same for the same name; never the red squares with
initials the demo had before."""

from io import BytesIO
from PIL import Image
from thidua.demo_pictures import CREAM
from thidua.demo_pictures import GOLD
from thidua.demo_pictures import initials
from thidua.demo_pictures import picture
from thidua.demo_pictures import SIZE

import pytest


def image(name, kind):
    return Image.open(BytesIO(picture(name, kind))).convert("RGB")


@pytest.mark.parametrize("kind", ["individual", "collective", "household"])
def test_a_framed_picture_with_the_name_written_below(kind):
    drawn = image("Hợp tác xã Nông nghiệp Xanh Phước An", kind)
    assert drawn.size == SIZE
    assert drawn.getpixel((2, 2)) == GOLD  # the frame
    caption = drawn.crop((20, 392, SIZE[0] - 20, SIZE[1] - 20))
    written = sum(1 for pixel in caption.get_flattened_data() if pixel == CREAM)
    assert written > 2000  # the name's letters, in cream on the dark background
    red_square = (178, 34, 34)
    assert red_square not in {pixel for _, pixel in drawn.getcolors(SIZE[0] * SIZE[1])}


def test_each_kind_has_its_own_drawing_and_a_name_keeps_its_picture():
    name = "Gia đình bà Mai Thị Thanh"
    pictures = {kind: picture(name, kind) for kind in ("individual", "collective", "household")}
    assert len(set(pictures.values())) == 3
    assert picture(name, "household") == pictures["household"]


def test_a_long_name_stays_inside_the_frame():
    """The caption shrinks rather than cutting a long collective's name."""
    long_name = "Tổ thí nghiệm vật liệu, Trung tâm Kiểm định chất lượng xây dựng " * 2
    drawn = image(long_name.strip(), "collective")
    bottom_band = drawn.crop((20, SIZE[1] - 40, SIZE[0] - 20, SIZE[1] - 12))
    assert CREAM not in set(bottom_band.get_flattened_data())  # nothing drawn past the margin


@pytest.mark.parametrize(
    "name,expected",
    [
        ("Phạm Thị Ngọc Lan", "NL"),
        ("Lưu Văn Hòa, Tổ trưởng Tổ dân phố Hoa Mai", "VH"),
        ("Rcom H'Bia", "RH"),
    ],
)
def test_initials_are_of_the_given_name(name, expected):
    assert initials(name) == expected
