"""The user guide (docs/guide/): one page per role, every link and picture
there; the pictures are pages of the browser story (tests/browser/)."""

from pathlib import Path

import re


GUIDE = Path(__file__).resolve().parents[1] / "docs" / "guide"


def test_every_role_has_its_page_and_every_link_leads_somewhere():
    index = (GUIDE / "README.md").read_text(encoding="utf-8")
    pages = re.findall(r"\]\(([\w-]+\.md)\)", index)
    assert len(pages) == 6
    for page in pages:
        assert (GUIDE / page).is_file(), page


def test_every_picture_is_there():
    pictures = [
        name
        for page in GUIDE.glob("*.md")
        for name in re.findall(r"\]\((anh/[\w-]+\.jpg)\)", page.read_text(encoding="utf-8"))
    ]
    assert len(pictures) >= 15
    missing = [name for name in pictures if not (GUIDE / name).is_file()]
    assert not missing, missing
