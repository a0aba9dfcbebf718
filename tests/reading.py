"""Reading what the public site answers: bodies streamed or not, the links and report ids of a
page, its visible text, and the ways a date can be written."""

import html
import re
from html.parser import HTMLParser

from django.conf import settings
from django.utils import formats, translation


def body_of(response):
    """The whole body as bytes, streamed or not. (The test client closes a streamed response,
    and its file, once its content is read: closing it again would close the database
    connection.)"""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


class _LinkParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []

    def handle_starttag(self, tag, attrs):
        self.links.extend(value for name, value in attrs if name in ("href", "src") and value)

    handle_startendtag = handle_starttag


def links_in(markup):
    """Every href and src of an HTML page or an Atom feed, entities decoded."""
    parser = _LinkParser()
    parser.feed(markup)
    parser.close()
    return parser.links


def report_ids_in(markup):
    """The ids of the reports a page links to, in the order of the page, once each."""
    return list(dict.fromkeys(int(pk) for pk in re.findall(r'href="/reports/(\d+)/"', markup)))


def text_of(markup):
    """The visible text of an HTML fragment, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def main_text(markup):
    """The visible text of a page's <main> element."""
    match = re.search(r"<main\b.*?</main>", markup, re.S)
    assert match, "the page has no <main> element"
    return text_of(match.group(0))


def date_forms(day):
    """The ways a page, export or feed could write ``day``: ISO, and in each language of the
    site the long, the short and the abbreviated-month formats."""
    forms = {day.isoformat()}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for shape in ("DATE_FORMAT", "SHORT_DATE_FORMAT", "j N Y"):
                forms.add(formats.date_format(day, shape))
    return forms
