"""Write a unit's honour board as one static, self-contained HTML page.

An example of a portal reading thidua's public ``@honour-board`` endpoint:

    python examples/honour_board_client.py https://thidua.example.gov.vn/Plone/brvt bang-vang.html
    python examples/honour_board_client.py <unit URL> <output.html> --kind individual --year 2024

It asks in Vietnamese (``Accept-Language: vi``), follows ``batching.next`` until
every honoured model is read, embeds each photo as a data: URI (the page needs
nothing else to show) and escapes every value it writes: the titles come from
the units' officers and are text, never markup. Standard library and requests only.
"""

from html import escape
from urllib.parse import urlsplit

import argparse
import base64
import datetime
import requests
import sys


HEADERS = {"Accept": "application/json", "Accept-Language": "vi"}
TIMEOUT = 30
KINDS = ("collective", "individual", "household")
# The labels of each model's details, in the order they are shown.
LABELS = (
    ("kind", "Loại"),
    ("organisation", "Cơ quan, đơn vị công tác"),
    ("field", "Lĩnh vực"),
    ("movement", "Phong trào thi đua"),
    ("unit", "Đơn vị"),
    ("year", "Năm"),
    ("honour_form", "Hình thức khen thưởng"),
    ("honoured_date", "Ngày tôn vinh"),
)
STYLE = """
body { font-family: "Noto Sans", Arial, sans-serif; margin: 2rem auto; max-width: 60rem;
       color: #222; padding: 0 1rem; }
h1 { color: #a50000; border-bottom: 3px solid #d4a017; padding-bottom: .5rem; }
.model { display: flex; gap: 1.25rem; border-bottom: 1px solid #ddd; padding: 1.25rem 0; }
.model img { width: 10rem; height: auto; object-fit: cover; border: 1px solid #ccc; }
.model h2 { margin: 0 0 .5rem; font-size: 1.25rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 0; }
dt { font-weight: bold; }
dd { margin: 0; }
.summary { margin: .75rem 0 0; }
footer { margin-top: 2rem; font-size: .85rem; color: #666; }
"""


class ClientError(Exception):
    """The site could not be read; the message says what to check."""


def get_json(session, url, params=None):
    response = session.get(url, params=params, headers=HEADERS, timeout=TIMEOUT)
    if response.status_code != 200:
        try:
            message = response.json()["error"]["message"]
        except (ValueError, KeyError, TypeError):
            message = response.reason
        raise ClientError(f"{url}: HTTP {response.status_code} {message}")
    return response.json()


def read_board(session, unit_url, kind=None, year=None, page_size=50):
    """Every honoured model below the unit, every page; (items, pages read)."""
    params = {"b_size": page_size}
    if kind:
        params["kind"] = kind
    if year:
        params["year"] = year
    url = f"{unit_url.rstrip('/')}/@honour-board"
    items, seen = [], set()
    while url and url not in seen:  # a link back to a page read stops the walk
        seen.add(url)
        page = get_json(session, url, params)
        items.extend(page["items"])
        url, params = page.get("batching", {}).get("next"), None  # next carries the query
    return items, len(seen)


def unit_title(session, unit_url):
    """The unit's title, or its address if the unit itself is not public."""
    try:
        return get_json(session, unit_url).get("title") or unit_url
    except (ClientError, requests.RequestException, ValueError):
        return unit_url


def image_data(session, url):
    """The photo as a data: URI, or None if it cannot be read (the model shows without)."""
    try:
        response = session.get(url, timeout=TIMEOUT)
    except requests.RequestException:
        return None
    kind = response.headers.get("Content-Type", "").split(";")[0].strip()
    if response.status_code != 200 or not kind.startswith("image/"):
        return None
    return f"data:{kind};base64,{base64.b64encode(response.content).decode('ascii')}"


def text(value):
    """A vocabulary term's title, a date as dd/mm/yyyy, else the value; '' for nothing."""
    if isinstance(value, dict):
        value = value.get("title") or value.get("token")
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        try:
            return datetime.date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            pass
    return "" if value is None else str(value)


def web_link(url):
    """Only http(s) addresses become links."""
    return url if isinstance(url, str) and urlsplit(url).scheme in ("http", "https") else None


def render_item(item, image):
    parts = ['<article class="model">']
    if image:
        alt = escape(f"Ảnh: {item.get('title') or ''}")
        parts.append(f'<img src="{escape(image)}" alt="{alt}">')
    parts.append("<div>")
    title = escape(text(item.get("title")))
    link = web_link(item.get("@id"))
    if link:
        title = f'<a href="{escape(link)}">{title}</a>'
    parts.append(f"<h2>{title}</h2>")
    parts.append("<dl>")
    for key, label in LABELS:
        value = text(item.get(key))
        if value:
            parts.append(f"<dt>{escape(label)}</dt><dd>{escape(value)}</dd>")
    parts.append("</dl>")
    summary = text(item.get("description"))
    if summary:
        parts.append(f'<p class="summary"><strong>Tóm tắt:</strong> {escape(summary)}</p>')
    parts.append("</div></article>")
    return "\n".join(parts)


def render_page(title, source, items, images):
    heading = f"Bảng vàng điển hình tiên tiến: {title}"
    body = "\n".join(render_item(item, images.get(item.get("UID"))) for item in items)
    if not items:
        body = "<p>Chưa có điển hình tiên tiến nào được tôn vinh.</p>"
    today = datetime.date.today().strftime("%d/%m/%Y")
    return f"""<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(heading)}</title>
<style>{STYLE}</style>
</head>
<body>
<h1>{escape(heading)}</h1>
<p>Tổng số: {len(items)} điển hình tiên tiến.</p>
{body}
<footer>Nguồn: {escape(source)}, cập nhật ngày {today}.</footer>
</body>
</html>
"""


def build(unit_url, output, kind=None, year=None, page_size=50, session=None):
    """Read the board and write the page; (models written, pages read)."""
    session = session or requests.Session()
    items, pages = read_board(session, unit_url, kind, year, page_size)
    images = {}
    for item in items:
        url = web_link(item.get("image_url"))
        if url:
            images[item.get("UID")] = image_data(session, url)
    page = render_page(unit_title(session, unit_url), unit_url, items, images)
    with open(output, "w", encoding="utf-8") as stream:
        stream.write(page)
    return len(items), pages


def main(argv=None):
    parser = argparse.ArgumentParser(description="Write a unit's honour board as an HTML page.")
    parser.add_argument("unit_url", help="the unit (or site, plan, movement) address")
    parser.add_argument("output", help="the HTML file to write")
    parser.add_argument("--kind", choices=KINDS, help="only collectives, individuals or households")
    parser.add_argument("--year", type=int, help="only the models of that year")
    parser.add_argument(
        "--page-size", type=int, default=50, help="models per request, 1 to 100 (default 50)"
    )
    args = parser.parse_args(argv)
    if not 1 <= args.page_size <= 100:
        parser.error("--page-size is between 1 and 100")
    try:
        count, pages = build(args.unit_url, args.output, args.kind, args.year, args.page_size)
    except (ClientError, requests.RequestException) as problem:
        print(f"Không đọc được bảng vàng: {problem}", file=sys.stderr)
        return 1
    print(f"{count} models from {pages} pages written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
