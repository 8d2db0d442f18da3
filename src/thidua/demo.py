"""The demo content of thidua:demo, built from the plans in the seeds."""

from plone import api
from plone.app.textfield.value import RichTextValue


INTRO_ID = "gioi-thieu"
INTRO_TITLE = "Giới thiệu trang thử nghiệm"
INTRO_TEXT = """
<p>Đây là trang thử nghiệm của <strong>thidua</strong>, phần mềm quản lý công tác
xây dựng và nhân rộng điển hình tiên tiến của Hội đồng Thi đua - Khen thưởng.</p>
<p>Dữ liệu mẫu được dựng từ các kế hoạch thật:</p>
<ul>
  <li>Kế hoạch số 1043/KH-UBND của UBND tỉnh Gia Lai, giai đoạn 2021-2025;</li>
  <li>Kế hoạch số 126/KH-UBND của UBND tỉnh Bà Rịa - Vũng Tàu, với 24 phong trào thi đua;</li>
  <li>Kế hoạch của UBND phường Thắng Lợi;</li>
  <li>Kế hoạch của Sở Xây dựng tỉnh Quảng Bình;</li>
  <li>Kế hoạch giới thiệu điển hình theo quý của một huyện.</li>
</ul>
"""


def apply_demo(context):
    """Post handler of thidua:demo; safe to run again (it adds what is missing)."""
    portal = api.portal.get()
    if INTRO_ID not in portal.objectIds():
        page = api.content.create(
            container=portal,
            type="Document",
            id=INTRO_ID,
            title=INTRO_TITLE,
            text=RichTextValue(INTRO_TEXT, "text/html", "text/x-html-safe"),
            language="vi",
        )
        api.content.transition(obj=page, to_state="published")
