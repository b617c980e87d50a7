"""Tags as people type them: a list separated by commas or semicolons in any script
(the Chinese "，" "；" "、" and the Persian "،" "؛" too), and tag fields of a record set
through the record services so their changes show in its history."""

import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from taggit.managers import TaggableManager

_SEPARATORS = re.compile(r"[,;，；、،؛\n]")
MAX_TAG_LENGTH = 100  # taggit's Tag.name
MAX_TAGS = 50


def parse_tags(text: str | None) -> list[str]:
    """Tag names from typed text, whitespace tidied, each once (case-insensitively), sorted."""
    seen: dict[str, str] = {}
    for part in _SEPARATORS.split(text or ""):
        name = " ".join(part.split())
        if name:
            seen.setdefault(name.casefold(), name)
    return sorted(seen.values())


def tags_text(tags: Iterable) -> str:
    """Tags (or names) as one editable line, the inverse of parse_tags."""
    return ", ".join(sorted(getattr(tag, "name", tag) for tag in tags))


def clean_tags(field: str, names: Iterable[str]) -> list[str]:
    """The names, tidied; a field-named error if one is too long or there are too many."""
    cleaned = parse_tags(", ".join(str(name) for name in names))
    if any(len(name) > MAX_TAG_LENGTH for name in cleaned):
        raise ValidationError({field: [_("A tag may have at most %(max)s characters.")
                                       % {"max": MAX_TAG_LENGTH}]})
    if len(cleaned) > MAX_TAGS:
        raise ValidationError({field: [_("Give at most %(max)s tags.") % {"max": MAX_TAGS}]})
    return cleaned


def tag_fields(model: type[models.Model]) -> set[str]:
    """The names of a model's tag fields (taggit managers)."""
    return {f.name for f in model._meta.get_fields() if isinstance(f, TaggableManager)}
