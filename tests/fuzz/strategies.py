"""Inputs an attacker or a broken export would send: markup fragments mixed with noise."""

from hypothesis import strategies as st

FRAGMENTS = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<svg/onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>', "<iframe src=//evil>", "<style>*{}</style>",
    "<!--", "-->", "<![CDATA[", "]]>", "<math><mi>", '<a href="  jav&#x09;ascript:x">', "&lt;",
    "&#0;", "&#x110000;", "\x00", "\u202e", "\ufeff", "<h1>", "</h1>", "<p", ">", "<", '"', "'",
    "`", "**", "_", "[x](javascript:y)", "![i](data:text/html,x)", "<http://a.example>", "\n\n",
    "    code", "> quote", "- item", "|a|b|\n|-|-|", "<table><tr><td>", "<div style=x>",
    "<form action=//e>", "<base href=//e>", "<object data=x>", "<IMG SRC=JaVaScRiPt:alert(1)>",
    "<a href=http://ok.example/?a=1&b=2>ok</a>", "&#106;avascript:",
]  # fmt: skip

hostile_text = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=20), max_size=30).map("".join)
