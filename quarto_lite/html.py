"""Finish pandoc's HTML for phones and screen readers.

- The body after the title block and contents is a `<main>` landmark, with a skip link to it.
- Every table sits in its own horizontally scrolling box, so a wide table scrolls inside the
  box instead of making the whole page scroll sideways at 390 px. The box is a labelled,
  keyboard-focusable region (WCAG 2.1.1: scrollable content must be reachable by keyboard).
- Every chart image sits in a scrolling box too, and the CSS keeps the image wide enough for
  its labels to stay readable on a phone (report/brand/psw.css: `.figure-scroll img`).
- A chart's description from the data (`[…]{.psw-alt}` straight after the figure) becomes the
  end of its alt text. The built-in renderer does this in pandoc (quarto_lite/crossref.lua);
  here it is done for HTML made by Quarto, which shows the paragraph as it is.

Applied to the HTML of either renderer (quarto_lite/convert.py, quarto_lite/render.py).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

_TABLE = re.compile(r"<table\b.*?</table>", re.S)
_CAPTION = re.compile(r"<caption\b[^>]*>(.*?)</caption>", re.S)
_FIGURE_IMG = re.compile(r"(<figure\b[^>]*>\s*)(<img\b[^>]*>)(\s*<figcaption\b[^>]*>(.*?)</figcaption>)",
                         re.S)


def _label(markup: str) -> str:
    text = html.unescape(re.sub(r"<[^>]+>", "", markup))
    return html.escape(" ".join(text.split()), quote=True)


def _wrap_table(match: re.Match) -> str:
    table = match.group(0)
    caption = _CAPTION.search(table)
    label = _label(caption.group(1)) if caption else "Table"
    return (f'<div class="table-scroll" role="region" tabindex="0" aria-label="{label}">'
            f"{table}</div>")


def _wrap_figure(match: re.Match) -> str:
    label = _label(match.group(4))
    return (f'{match.group(1)}<div class="figure-scroll" role="region" tabindex="0" '
            f'aria-label="{label}">{match.group(2)}</div>{match.group(3)}')


_ALT_PARA = re.compile(r'(<img\b[^>]*?(?<![\w-])alt=")([^"]*)("[^>]*>(?:(?!<img\b).)*?</figure>)\s*'
                       r'<p>\s*<span class="psw-alt">(.*?)</span>\s*</p>', re.S)


def _merge_alt(match: re.Match) -> str:
    described = _label(match.group(4))
    alt = f"{match.group(2)} {described}" if match.group(2).strip() else described
    return match.group(1) + alt + match.group(3)


def finish_html_text(page: str) -> str:
    page = _ALT_PARA.sub(_merge_alt, page)
    page = _TABLE.sub(_wrap_table, page)
    page = _FIGURE_IMG.sub(_wrap_figure, page)
    if "<main" not in page and "<body>" in page:
        start = page.find("</nav>")
        start = start + len("</nav>") if start != -1 else page.find("</header>")
        start = start + (len("</header>") if page[start:start + 9] == "</header>" else 0)
        if start <= 0:
            start = page.index("<body>") + len("<body>")
        end = page.rindex("</body>")
        page = page[:start] + '\n<main id="main">' + page[start:end] + "</main>\n" + page[end:]
        body = page.index("<body>") + len("<body>")
        page = (page[:body] + '\n<a class="skip-link" href="#main">Skip to the report</a>'
                + page[body:])
    return page


def finish_html(path: Path) -> None:
    path.write_text(finish_html_text(path.read_text(encoding="utf-8")), encoding="utf-8")
