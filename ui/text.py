"""Values from the data as literal text inside Streamlit's Markdown (titles, captions, st.markdown, messages).

Streamlit renders Markdown in st.markdown, st.caption, st.subheader, st.success … and in widget labels, plus its
own directives: colours (:red[…]), icons (:material/home:), emoji short codes (:smile:), LaTeX ($x^2$), links,
images and bare URLs (autolinks). A name, summary or place typed into a spreadsheet must never become any of
these. `plain(value)` makes it literal: every ASCII punctuation character gets a backslash (CommonMark allows
escaping any of them, and so does Streamlit's directive and math syntax); the plugins that work on the text after
escapes are resolved -- bare-URL / e-mail autolinks (http://, www., @) and emoji short codes -- are broken with an
invisible word joiner (U+2060); indentation that would start a code block is dropped.

Use it for every data value drawn through Markdown. Elements that never interpret Markdown (st.dataframe cells,
st.code, st.text, selectbox/multiselect options) need no escaping and must not get it (the backslashes would
show).
"""
from __future__ import annotations

import html
import re

from ui.formatting import cell_text

_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")        # every ASCII punctuation character
_SHORTCODE = re.compile(r":(?=[\w+\-]+:)")        # :smile: → the emoji plugin (works on the unescaped text)
_AUTOLINK = re.compile(r"(?i)(https?|ftp|mailto|xmpp|www)(?=[:.])|(@)")   # GFM autolink literals (ditto)
_WORD_JOINER = "\u2060"


def plain(value) -> str:
    """`value` (any cell: text, number, date, None/NaN → '') as Markdown that shows exactly its text."""
    text = cell_text(value)
    if not text:
        return ""
    text = "\n".join(line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    text = _SHORTCODE.sub(":" + _WORD_JOINER, text)
    text = _AUTOLINK.sub(lambda m: m.group(0) + _WORD_JOINER, text)
    return _PUNCT.sub(r"\\\1", text)


def chart_text(value) -> str:
    """A data value as a Plotly label (category, legend, hover): Plotly reads a small HTML subset there
    (<a href>, <b>, <br> …) and decodes &lt; &gt; &amp;, so escaping those three shows the text as it is."""
    return html.escape(cell_text(value), quote=False)
