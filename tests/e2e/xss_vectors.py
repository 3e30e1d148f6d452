"""The XSS corpus: our own list, written from the ideas in the public OWASP XSS Filter Evasion
Cheat Sheet and html5sec.org (script tags, event handlers, script URLs and their encodings,
SVG/MathML, frames and plugins, parsing differentials, Markdown tricks).

Every vector carries a unique marker ("xss-17"). When it runs it raises a dialog, logs the
marker, or sets `document.title` to it, so a failure names the vector. The JavaScript has no
quotes (`alert(/xss-17/.source)`), so it fits every attribute and URL context unchanged.

Template tokens, filled in per vector:
  @JS@      the script (alert, console.log, confirm, prompt or document.title, in turn)
  @M@       the bare marker
  @B64@     base64 of `<script>@JS@</script>`, for data: URLs
  @ENT@     `javascript:@JS@` written entirely as hex character references
  @ENTPAD@  `javascript:` as zero-padded decimal references without semicolons, then @JS@
"""

from base64 import b64encode
from dataclasses import dataclass

_RUNS = (
    "alert(/{m}/.source)",
    "console.log(/{m}/.source)",
    "document.title=/{m}/.source",
    "confirm(/{m}/.source)",
    "prompt(/{m}/.source)",
)
_POLYGLOT = (  # the well-known "one vector for many contexts" (0xSobky), with our script
    "jaVasCript:/*-/*`/*\\`/*'/*\"/**/(/* */oNcliCk=@JS@ )//%0D%0A%0d%0a//</stYle/</titLe/"
    "</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd=@JS@//>\\x3e"
)

HTML_TEMPLATES: tuple[str, ...] = (
    # <script> in every casing and shape
    "<script>@JS@</script>",
    "<SCRIPT>@JS@</SCRIPT>",
    "<ScRiPt>@JS@</sCrIpT>",
    '<script type="text/javascript">@JS@</script>',
    '<script type="module">@JS@</script>',
    "<script src=data:text/javascript,@JS@></script>",
    "<script/xss>@JS@</script>",
    "<script\ttype=text/javascript>@JS@</script>",
    "<script>@JS@</script",
    "<<script>@JS@//<</script>",
    "<scr<script>ipt>@JS@</scr</script>ipt>",
    "<scr\x00ipt>@JS@</scr\x00ipt>",
    # breaking out of the context the text lands in
    '"><script>@JS@</script>',
    "'><script>@JS@</script>",
    "</title><script>@JS@</script>",
    "</textarea><script>@JS@</script>",
    "</style><script>@JS@</script>",
    "</script><script>@JS@</script>",
    "--><script>@JS@</script>",
    "]]><script>@JS@</script>",
    '<img """><script>@JS@</script>">',
    # event handlers on the common elements
    "<img src=x onerror=@JS@>",
    "<IMG SRC=x ONERROR=@JS@>",
    '<img src="x" onerror="@JS@">',
    '<img src=x onerror="&#97;&#108;&#101;&#114;&#116;(/@M@/.source)">',
    "<img/src=x/onerror=@JS@>",
    "<img\tsrc=x\tonerror=@JS@>",
    "<img src=x onerror\x0b=@JS@>",
    "<img src=`x` onerror=@JS@>",
    "<img src=x onerror=@JS@//",
    "<img src=x onerror=\\u0061lert(/@M@/.source)>",
    "<svg onload=@JS@>",
    "<svg/onload=@JS@>",
    "<svg><animate onbegin=@JS@ attributeName=x dur=1s>",
    "<svg><set onbegin=@JS@ attributename=x to=1>",
    "<body onload=@JS@>",
    "<body onpageshow=@JS@>",
    "<div onmouseover=@JS@>hover me</div>",
    "<p onclick=@JS@>click me</p>",
    '<a href="#" onclick="@JS@">click link</a>',
    "<button onclick=@JS@>button</button>",
    "<input autofocus onfocus=@JS@>",
    "<select autofocus onfocus=@JS@></select>",
    "<textarea autofocus onfocus=@JS@></textarea>",
    "<keygen autofocus onfocus=@JS@>",
    "<div tabindex=1 autofocus onfocus=@JS@>focus</div>",
    "<x contenteditable onblur=@JS@>lose focus</x>",
    "<details open ontoggle=@JS@>",
    "<video><source onerror=@JS@></video>",
    "<video src=x onerror=@JS@></video>",
    "<audio src=x onerror=@JS@></audio>",
    "<marquee onstart=@JS@>marquee</marquee>",
    "<iframe onload=@JS@></iframe>",
    "<object data=x onerror=@JS@></object>",
    "<input type=image src=x onerror=@JS@>",
    "<isindex type=image src=1 onerror=@JS@>",
    "<style onload=@JS@></style>",
    "<link rel=stylesheet href=x onerror=@JS@>",
    '<a href="https://example.com/" title="x" onmouseover=@JS@>attribute after</a>',
    '<a title="a&quot;onmouseover=@JS@ x=&quot;">quote entity</a>',
    # script URLs: javascript:, data:, vbscript:, and their encodings
    '<a href="javascript:@JS@">js link</a>',
    "<a href=javascript:@JS@>unquoted js link</a>",
    '<a href="JaVaScRiPt:@JS@">mixed case</a>',
    '<a href="&#106;avascript:@JS@">decimal entity</a>',
    '<a href="@ENT@">hex entities</a>',
    '<a href="@ENTPAD@">padded entities</a>',
    '<a href="jav&#x09;ascript:@JS@">tab entity</a>',
    '<a href="jav\tascript:@JS@">literal tab</a>',
    '<a href="jav&#x0A;ascript:@JS@">newline entity</a>',
    '<a href="jav&#x0D;ascript:@JS@">carriage return entity</a>',
    '<a href=" &#14;  javascript:@JS@">leading control</a>',
    '<a href="java\x00script:@JS@">null byte</a>',
    '<a href="javascript&colon;@JS@">named colon</a>',
    '<a href="\u2028javascript:@JS@">line separator</a>',
    '<a href="javascript://%0a@JS@">comment then newline</a>',
    "<a href=\"vbscript:msgbox('@M@')\">vbscript</a>",
    '<a href="data:text/html;base64,@B64@">data base64</a>',
    '<a href="data:text/html,<script>@JS@</script>">data plain</a>',
    '<img src="javascript:@JS@">',
    '<img dynsrc="javascript:@JS@" lowsrc="javascript:@JS@">',
    '<bgsound src="javascript:@JS@">',
    '<table background="javascript:@JS@"><tr><td>table</td></tr></table>',
    '<br size="&{@JS@}">',
    '<form action="javascript:@JS@"><input type=submit value=form></form>',
    '<form><button formaction="javascript:@JS@">formaction</button></form>',
    "<form id=f1></form><button form=f1 formaction=javascript:@JS@>outside</button>",
    # frames, plugins and document-level elements
    '<iframe src="javascript:@JS@"></iframe>',
    '<iframe src="data:text/html;base64,@B64@"></iframe>',
    '<iframe srcdoc="<script>@JS@</script>"></iframe>',
    '<iframe srcdoc="&lt;img src=x onerror=@JS@&gt;"></iframe>',
    '<object data="javascript:@JS@"></object>',
    '<object data="data:text/html;base64,@B64@"></object>',
    '<embed src="javascript:@JS@">',
    '<embed src="data:text/html;base64,@B64@">',
    '<base href="javascript:@JS@//">',
    '<meta http-equiv="refresh" content="0;url=javascript:@JS@">',
    '<meta http-equiv="refresh" content="0;url=data:text/html;base64,@B64@">',
    '<frameset onload=@JS@><frame src="javascript:@JS@"></frameset>',
    # styles
    '<div style="background-image:url(javascript:@JS@)">styled</div>',
    '<div style="x:expression(@JS@)">expression</div>',
    '<xss style="xss:expr/*XSS*/ession(@JS@)">split expression</xss>',
    "<style>@import 'javascript:@JS@';</style>",
    '<style>body{background:url("javascript:@JS@")}</style>',
    '<link rel="stylesheet" href="javascript:@JS@">',
    # SVG and MathML
    "<svg><script>@JS@</script></svg>",
    '<svg><a xlink:href="javascript:@JS@"><text x="20" y="20">svg link</text></a></svg>',
    '<svg><foreignObject><iframe srcdoc="<script>@JS@</script>"></iframe></foreignObject></svg>',
    "<svg><animate xlink:href=#ax attributeName=href values=javascript:@JS@ />"
    "<a id=ax><text x=20 y=20>animated</text></a></svg>",
    "<svg><style><img src=x onerror=@JS@></style></svg>",
    '<svg></p><style><a id="</style><img src=1 onerror=@JS@>">',
    '<math href="javascript:@JS@">math link</math>',
    '<math><maction actiontype="statusline" xlink:href="javascript:@JS@">maction</maction></math>',
    "<math><mtext><table><mglyph><style><img src=x onerror=@JS@>",
    '<math><mi xlink:href="data:x,<script>@JS@</script>">mi</mi></math>',
    '<form><math><mtext></form><form><mglyph><svg><mtext><textarea><path id="</textarea>'
    '<img onerror=@JS@ src=1>">',
    # parsing differentials: comments, CDATA, raw-text elements, templates
    '<!--<img src="--><img src=x onerror=@JS@//">',
    "<!-- --!><img src=x onerror=@JS@> -->",
    "<![CDATA[><img src=x onerror=@JS@>]]>",
    "<div><![CDATA[</div><script>@JS@</script>]]></div>",
    '<?xml-stylesheet href="javascript:@JS@"?>',
    '<noscript><p title="</noscript><img src=x onerror=@JS@>">',
    '<noembed><img title="</noembed><img src=x onerror=@JS@>"></noembed>',
    '<noframes><img title="</noframes><img src=x onerror=@JS@>"></noframes>',
    '<xmp><img title="</xmp><img src=x onerror=@JS@>"></xmp>',
    "<template><img src=x onerror=@JS@></template>",
    '<textarea><img title="</textarea><img src=x onerror=@JS@>"></textarea>',
    # unicode look-alikes and the polyglot
    "\uff1cscript\uff1e@JS@\uff1c/script\uff1e",
    _POLYGLOT,
)

MARKDOWN_TEMPLATES: tuple[str, ...] = (
    "[md link](javascript:@JS@)",
    "[md link](JAVASCRIPT:@JS@)",
    "[md link](&#106;avascript:@JS@)",
    "[md link](java&#115;cript:@JS@)",
    "[md link](<javascript:@JS@>)",
    "[md link](vbscript:msgbox(/@M@/.source))",
    "[md data](data:text/html;base64,@B64@)",
    "![md image](javascript:@JS@)",
    "![md image](data:text/html;base64,@B64@)",
    "[reference link][@M@]\n\n[@M@]: javascript:@JS@",
    "<javascript:@JS@>",
    '<https://example.com/"onmouseover="@JS@>',
    '[quoted](https://example.com/"onmouseover="@JS@)',
    '[title attr](https://example.com "\\"onmouseover=\\"@JS@")',
    '![alt"onerror="@JS@](x)',
    "[<img src=x onerror=@JS@>](https://example.com)",
    "*<img src=x onerror=@JS@>*",
    "> <script>@JS@</script>",
    "| cell |\n| --- |\n| <img src=x onerror=@JS@> |",
    "`<script>@JS@</script>`",
    "```html\n<script>@JS@</script>\n```",
    '<div markdown="1">[x](javascript:@JS@)</div>',
    "[md data](data:text/html,<script>@JS@</script>)",
)


@dataclass(frozen=True)
class Vector:
    marker: str  # "xss-17": what a page shows (as dialog, console line or title) if it runs
    text: str
    markdown_only: bool = False  # Markdown syntax; elsewhere it is just odd text


def _fill(template: str, marker: str, run: str) -> str:
    script_url = f"javascript:{run}"
    return (
        template.replace("@B64@", b64encode(f"<script>{run}</script>".encode()).decode())
        .replace("@ENTPAD@", "".join(f"&#{ord(c):07d}" for c in "javascript:") + run)
        .replace("@ENT@", "".join(f"&#x{ord(c):x};" for c in script_url))
        .replace("@JS@", run)
        .replace("@M@", marker)
    )


def _build() -> tuple[Vector, ...]:
    templates = [(t, False) for t in HTML_TEMPLATES] + [(t, True) for t in MARKDOWN_TEMPLATES]
    vectors = []
    for number, (template, markdown_only) in enumerate(templates, start=1):
        marker = f"xss-{number}"
        run = _RUNS[number % len(_RUNS)].format(m=marker)
        vectors.append(Vector(marker, _fill(template, marker, run), markdown_only))
    return tuple(vectors)


VECTORS: tuple[Vector, ...] = _build()
HTML_VECTORS = tuple(v for v in VECTORS if not v.markdown_only)
MARKDOWN_VECTORS = tuple(v for v in VECTORS if v.markdown_only)
MARKER_PATTERN = r"xss-\d+"
