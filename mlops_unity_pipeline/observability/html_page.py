"""A self-contained HTML report page: a title, one embedded PNG and a table of labelled values.

The picture travels as a base64 data URI, so the page needs no other file: the pipeline hands it
to the Vertex console as an HTML artifact and a person can open it from anywhere.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Iterable


def html_page(title: str, png: bytes, image_alt: str, rows: Iterable[tuple[str, str]]) -> str:
    """The page, every text escaped; ``rows`` are (label, value) pairs shown under the picture."""
    escaped_title = html.escape(title)
    table = "\n".join(f"<tr><th>{html.escape(label)}</th><td>{html.escape(value)}</td></tr>" for label, value in rows)
    image = base64.b64encode(png).decode()
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{escaped_title}</title>
<style>
body {{ font-family: sans-serif; margin: 2em; color: #222; }}
table {{ border-collapse: collapse; margin-top: 1em; }}
th, td {{ text-align: left; padding: 0.25em 1em; border-bottom: 1px solid #ddd; }}
img {{ max-width: 100%; }}
</style>
</head>
<body>
<h1>{escaped_title}</h1>
<img alt="{html.escape(image_alt)}" src="data:image/png;base64,{image}">
<table>
{table}
</table>
</body>
</html>
"""
