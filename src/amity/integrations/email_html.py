"""The HTML of an email: sanitised with nh3 (Ammonia) so no script, event handler or
javascript: link reaches a recipient, and its plain-text twin made with html2text."""

import html2text
import nh3

# Inline styles are how email HTML is written; only these properties survive.
STYLE_PROPERTIES = frozenset({
    "color", "background-color", "font-family", "font-size", "font-style", "font-weight",
    "line-height", "text-align", "text-decoration", "vertical-align", "width", "max-width",
    "height", "padding", "padding-top", "padding-bottom", "padding-left", "padding-right",
    "margin", "margin-top", "margin-bottom", "margin-left", "margin-right", "border",
    "border-collapse", "border-radius", "direction", "display",
})
ATTRIBUTES = {tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()}
ATTRIBUTES["*"] = {"style", "dir", "lang", "title"}
ATTRIBUTES.setdefault("td", set()).update({"width", "valign", "bgcolor"})
ATTRIBUTES.setdefault("table", set()).update({"width", "cellpadding", "cellspacing", "border",
                                              "role"})
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def sanitise_html(html: str) -> str:
    """`html` with everything but formatting removed."""
    return nh3.clean(html, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES,
                     filter_style_properties=set(STYLE_PROPERTIES),
                     clean_content_tags={"script", "style"})


def html_to_text(html: str) -> str:
    """A readable plain-text part: paragraphs, lists and links kept, no line wrapping
    (Thai and Chinese have no spaces to wrap at)."""
    converter = html2text.HTML2Text()
    converter.body_width = 0
    converter.ignore_images = True
    converter.ignore_emphasis = True
    converter.unicode_snob = True
    return converter.handle(html).strip() + "\n"
