"""Email bodies as mail clients and CRMs really produce them.

Personal mail in the markup Zoho's composer writes, plain text with quoted
replies and `-- ` signatures, and newsletters the way email marketing tools
build them: nested layout tables, inline styles, a <style> block with media
queries, a hidden preheader, images with alt text, many tracked links and a
tracking pixel. All text is escaped: the hostile bodies live in corpus.py.
"""

from __future__ import annotations

import random
from html import escape

import msgspec

from tui.sandbox.corpus import ARTICLES, Newsletter

_COMPOSER_STYLE = "word-wrap: break-word; word-break: break-word; font-family: Verdana, arial, Helvetica, sans-serif; font-size: 13px"
_QUOTE_STYLE = "border-left: 1px solid #0087ff; padding-left: 6px; margin: 0 0 0 5px"


class Letter(msgspec.Struct, frozen=True):
    """What a personal email says, before it is laid out as HTML or text."""

    greeting: str
    paragraphs: tuple[str, ...]
    sign_off: str
    sender_name: str  # as signed under the sign-off
    signature: tuple[str, ...] = ()  # the CRM user's signature block: full name, then title lines
    rtl: bool = False


class Quoted(msgspec.Struct, frozen=True):
    """The earlier message a reply quotes."""

    header: str  # "On Tue, 3 Mar 2026 at 10:12, Ada Lovelace <ada@...> wrote:"
    text: str


def letter_text(letter: Letter) -> str:
    """The letter as plain text (what `text` emails carry and what replies quote)."""
    parts = [letter.greeting, "", *_interleave(letter.paragraphs), "", letter.sign_off, letter.sender_name]
    if letter.signature:
        parts += ["", "-- ", *letter.signature]
    return "\n".join(parts)


def _interleave(paragraphs: tuple[str, ...]) -> list[str]:
    lines: list[str] = []
    for paragraph in paragraphs:
        if lines:
            lines.append("")
        lines.append(paragraph)
    return lines


def plain_body(letter: Letter, quoted: Quoted | None = None) -> str:
    body = letter_text(letter)
    if quoted is None:
        return body
    quote = "\n".join("> " + line if line else ">" for line in quoted.text.splitlines())
    return f"{body}\n\n{quoted.header}\n{quote}\n"


def html_body(letter: Letter, quoted: Quoted | None = None) -> str:
    """Zoho composer markup, like the doc sample's `<div style="word-wrap...">`."""
    direction = ' dir="rtl"' if letter.rtl else ""
    paragraphs = "<br />\n<br />\n".join(escape(p) for p in letter.paragraphs)
    html = (
        f'<div style="{_COMPOSER_STYLE}"{direction}><div>{escape(letter.greeting)}<br />\n<br />\n'
        f"{paragraphs}<br />\n<br />\n{escape(letter.sign_off)}<br />\n{escape(letter.sender_name)}<br />\n</div>"
    )
    if letter.signature:
        name, *titles = letter.signature
        lines = "".join(f'<br />\n<span style="color: #666666">{escape(t)}</span>' for t in titles)
        html += f'<br />\n<span id="ecw_signature"><div>-- <br />\n<b>{escape(name)}</b>{lines}</div></span>'

    if quoted is not None:
        original = "<br />\n".join(escape(line) for line in quoted.text.splitlines())
        html += (
            f'<div><br />\n<div>{escape(quoted.header)}<br /></div>'
            f'<blockquote style="{_QUOTE_STYLE}">{original}</blockquote></div>'
        )
    return html + "</div>"


# --- newsletters ---------------------------------------------------------------------------

_NEWSLETTER_HEAD = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" lang="en"><head>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
<meta name="viewport" content="width=device-width, initial-scale=1.0" />
<title>{title}</title>
<style type="text/css">
  body {{ margin: 0; padding: 0; -webkit-text-size-adjust: 100%; }}
  table, td {{ border-collapse: collapse; mso-table-lspace: 0pt; mso-table-rspace: 0pt; }}
  img {{ border: 0; outline: none; text-decoration: none; display: block; }}
  a {{ color: {color}; }}
  @media only screen and (max-width: 600px) {{
    .container {{ width: 100% !important; }}
    .column {{ display: block !important; width: 100% !important; }}
    .hide-mobile {{ display: none !important; }}
  }}
</style>
</head>
<body style="margin:0;padding:0;background-color:#f2f2f2;">
<div style="display:none;font-size:1px;color:#f2f2f2;line-height:1px;max-height:0px;max-width:0px;opacity:0;overflow:hidden;">{preheader}&zwnj;&nbsp;&zwnj;&nbsp;&zwnj;&nbsp;&zwnj;&nbsp;</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" bgcolor="#f2f2f2"><tr><td align="center" style="padding:16px 0;">
<table class="container" role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" bgcolor="#ffffff" style="width:600px;">
<tr><td class="hide-mobile" style="padding:8px 24px;font-family:Arial,Helvetica,sans-serif;font-size:11px;color:#888888;text-align:right;">Trouble reading this? <a href="{base}/view/{issue}?u={user}" style="color:#888888;">View it in your browser</a></td></tr>
<tr><td bgcolor="{color}" style="padding:24px;"><a href="{base}/?utm_source=newsletter&amp;utm_medium=email&amp;utm_campaign={issue}"><img src="{base}/img/logo-white.png" width="180" height="40" alt="{brand}" style="color:#ffffff;font-family:Georgia,serif;font-size:22px;" /></a></td></tr>
"""

_ARTICLE = """<tr><td style="padding:20px 24px;border-bottom:1px solid #eeeeee;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"><tr>
<td class="column" width="180" valign="top" style="padding-right:16px;"><a href="{link}"><img src="{base}/img/{slug}.jpg" width="180" height="120" alt="{alt}" style="width:180px;height:auto;" /></a></td>
<td class="column" valign="top" style="font-family:Arial,Helvetica,sans-serif;color:#333333;">
<h2 style="margin:0 0 8px 0;font-size:18px;line-height:24px;color:#111111;"><a href="{link}" style="color:#111111;text-decoration:none;">{title}</a></h2>
<p style="margin:0 0 12px 0;font-size:14px;line-height:21px;">{blurb}</p>
<table role="presentation" cellpadding="0" cellspacing="0" border="0"><tr><td bgcolor="{color}" style="border-radius:3px;"><a href="{link}" style="display:inline-block;padding:8px 16px;font-size:13px;color:#ffffff;text-decoration:none;">Read more &rarr;</a></td></tr></table>
</td></tr></table></td></tr>
"""

_FOOTER = """<tr><td align="center" style="padding:20px 24px;font-family:Arial,Helvetica,sans-serif;">
<a href="https://www.linkedin.com/company/analytical-engines-demo"><img src="{base}/img/linkedin.png" width="24" height="24" alt="LinkedIn" style="display:inline-block;" /></a>&nbsp;
<a href="https://www.youtube.com/@analyticalengines"><img src="{base}/img/youtube.png" width="24" height="24" alt="YouTube" style="display:inline-block;" /></a>&nbsp;
<a href="https://mastodon.social/@aelab"><img src="{base}/img/mastodon.png" width="24" height="24" alt="Mastodon" style="display:inline-block;" /></a>
</td></tr>
<tr><td style="padding:16px 24px 24px;font-family:Arial,Helvetica,sans-serif;font-size:11px;line-height:16px;color:#888888;text-align:center;">
You are receiving this email because {user} subscribed to {brand}.<br />
Analytical Engines Demo, 1 Dorset Street, London W1U 4EG, United Kingdom<br />
<a href="{base}/preferences?u={user}" style="color:#888888;">Manage preferences</a> &middot; <a href="{base}/unsubscribe?u={user}&amp;list={issue}" style="color:#888888;">Unsubscribe</a> &middot; <a href="{base}/privacy" style="color:#888888;">Privacy policy</a>
</td></tr>
</table>
<img src="https://t.aelab.com/o/{issue}/{user}.gif" width="1" height="1" alt="" style="display:none;" />
</td></tr></table>
</body></html>"""


def _article(newsletter: Newsletter, base: str, issue: str, article: tuple[str, str, str]) -> str:
    title, blurb, alt = article
    slug = "-".join(title.lower().split())[:40]
    link = f"{base}/articles/{slug}?utm_source=newsletter&amp;utm_medium=email&amp;utm_campaign={issue}"
    return _ARTICLE.format(link=link, base=base, slug=escape(slug), alt=escape(alt), title=escape(title),
                           blurb=escape(blurb), color=newsletter.color)


def _base_url(newsletter: Newsletter) -> str:
    return "https://" + newsletter.sender_email.split("@", 1)[1]


def newsletter_html(rng: random.Random, newsletter: Newsletter, subject: str, recipient: str) -> str:
    base, issue = _base_url(newsletter), f"issue-{rng.randrange(100, 999)}"
    articles = rng.sample(ARTICLES, rng.randint(3, 5))
    head = _NEWSLETTER_HEAD.format(title=escape(subject), color=newsletter.color, base=base, issue=issue,
                                   user=escape(recipient), brand=escape(newsletter.brand),
                                   preheader=escape(articles[0][1]))
    body = "".join(_article(newsletter, base, issue, a) for a in articles)
    return head + body + _FOOTER.format(base=base, issue=issue, user=escape(recipient), brand=escape(newsletter.brand))


def large_newsletter_html(rng: random.Random, newsletter: Newsletter, subject: str, recipient: str,
                          at_least: int) -> str:
    """A year of issues in one email (at least `at_least` characters): the "does not freeze" test's body."""
    base = _base_url(newsletter)
    head = _NEWSLETTER_HEAD.format(title=escape(subject), color=newsletter.color, base=base, issue="archive-2026",
                                   user=escape(recipient), brand=escape(newsletter.brand),
                                   preheader="Every issue of 2026 in one place")
    parts, size, week = [head], len(head), 0
    while size < at_least:
        week += 1
        heading = (f'<tr><td style="padding:24px 24px 0;font-family:Georgia,serif;font-size:22px;color:{newsletter.color};">'
                   f"Issue {week}: week {week % 52 + 1} of 2026</td></tr>\n")
        parts.append(heading)
        size += len(heading)
        for article in rng.sample(ARTICLES, 4):
            block = _article(newsletter, base, f"issue-{week}", article)
            parts.append(block)
            size += len(block)
    footer = _FOOTER.format(base=base, issue="archive-2026", user=escape(recipient), brand=escape(newsletter.brand))
    return "".join(parts) + footer


def plain_newsletter(rng: random.Random, newsletter: Newsletter, recipient: str) -> str:
    """The text/plain edition some lists send: links as bare URLs."""
    base = _base_url(newsletter)
    lines = [newsletter.brand.upper(), "=" * len(newsletter.brand), ""]
    for title, blurb, _alt in rng.sample(ARTICLES, 3):
        slug = "-".join(title.lower().split())[:40]
        lines += [title, "-" * len(title), blurb, f"Read more: {base}/articles/{slug}", ""]
    lines += ["--", f"You are receiving this because {recipient} subscribed to {newsletter.brand}.",
              f"Unsubscribe: {base}/unsubscribe?u={recipient}"]
    return "\n".join(lines)
