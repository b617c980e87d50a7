"""Countries as people write them in a file: an ISO 3166 code, or the country's name in
English, Thai, Persian or Chinese ("Thailand", "ประเทศไทย"… as babel's CLDR data names
them), read as the two-letter code Amity stores."""

from functools import cache

from babel import Locale

_LANGUAGES = ("en", "th", "fa", "zh_Hans", "zh_Hant")
# Names exports write that CLDR does not ("United States" and "United Kingdom" it does).
_ALIASES = {"usa": "US", "u.s.a.": "US", "u.s.": "US", "united states of america": "US",
            "uk": "GB", "u.k.": "GB", "great britain": "GB", "england": "GB",
            "hong kong": "HK", "macau": "MO", "macao": "MO", "香港": "HK", "澳门": "MO",
            "ไทย": "TH", "ประเทศไทย": "TH", "中华人民共和国": "CN", "ایران": "IR"}


@cache
def _codes() -> dict[str, str]:
    codes = {}
    for language in _LANGUAGES:
        for code, name in Locale.parse(language).territories.items():
            if len(code) == 2 and code.isalpha():  # not regions such as "001" (World)
                codes.setdefault(name.casefold(), code)
                codes.setdefault(code.casefold(), code)
    return codes | _ALIASES


def country_code(text: str) -> str | None:
    """The two-letter code of the country `text` names or codes; None if it is neither."""
    return _codes().get(" ".join(text.split()).casefold())
