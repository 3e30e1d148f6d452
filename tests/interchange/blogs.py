"""Tiny hand-written exports of two different blogs that number their posts alike."""

from pathlib import Path

ATOM_KIND = "http://schemas.google.com/blogger/2008/kind#"


def wxr_item(post_id: int, title: str, link: str, *, kind: str = "post", comment: str = "",
             status: str = "publish", date: str = "2015-03-01 10:00:00") -> str:  # fmt: skip
    return f"""<item><title>{title}</title><link>{link}</link>
<dc:creator>admin</dc:creator>
<content:encoded><![CDATA[<p>{title} body</p>]]></content:encoded>
<wp:post_id>{post_id}</wp:post_id><wp:post_date>{date}</wp:post_date>
<wp:post_date_gmt>{date}</wp:post_date_gmt>
<wp:post_name>{title.lower().replace(" ", "-")}</wp:post_name>
<wp:status>{status}</wp:status><wp:post_type>{kind}</wp:post_type>{comment}</item>
"""


def wxr_comment(comment_id: int, text: str, date: str = "2015-03-02 10:00:00") -> str:
    return f"""<wp:comment><wp:comment_id>{comment_id}</wp:comment_id>
<wp:comment_author>Reader</wp:comment_author><wp:comment_date_gmt>{date}</wp:comment_date_gmt>
<wp:comment_content>{text}</wp:comment_content><wp:comment_approved>1</wp:comment_approved>
<wp:comment_parent>0</wp:comment_parent></wp:comment>"""


def wxr_file(path: Path, site: str, *items: str, ns: str = "http://") -> Path:
    """A WXR file of the blog at `site` (no scheme), with its channel's base URLs."""
    path.write_text(f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="{ns}wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="{ns}wordpress.org/export/1.2/">
<channel><title>{site}</title><link>https://{site}</link>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://{site}</wp:base_site_url><wp:base_blog_url>https://{site}</wp:base_blog_url>
{"".join(items)}</channel></rss>
""")
    return path


def blogger_entry(blog: str, local_id: str, kind: str, title: str, path: str = "",
                  extra: str = "") -> str:  # fmt: skip
    link = f"<link rel='alternate' type='text/html' href='https://b{blog}.example{path}'/>"
    return f"""<entry><id>tag:blogger.com,1999:blog-{blog}.{local_id}</id>
<published>2016-05-01T10:00:00Z</published><updated>2016-05-01T10:00:00Z</updated>
<category scheme='http://schemas.google.com/g/2005#kind' term='{ATOM_KIND}{kind}'/>
<title type='text'>{title}</title><content type='html'>{title} body</content>
{link if path else ""}<author><name>Someone</name></author>{extra}</entry>
"""


def blogger_comment(blog: str, number: int, post_local_id: str, text: str) -> str:
    reply = f"<thr:in-reply-to ref='tag:blogger.com,1999:blog-{blog}.{post_local_id}'/>"
    return blogger_entry(blog, f"post-{number}", "comment", text, extra=reply)


def blogger_file(path: Path, blog: str, *entries: str) -> Path:
    path.write_text(
        "<?xml version='1.0' encoding='UTF-8'?>\n<feed xmlns='http://www.w3.org/2005/Atom' "
        "xmlns:thr='http://purl.org/syndication/thread/1.0'>\n"
        f"<id>tag:blogger.com,1999:blog-{blog}</id>\n" + "".join(entries) + "</feed>\n"
    )
    return path
