"""Keyset (cursor) pagination shared by the UI lists, the timeline and the API.

Offsets get slower the deeper the page; a keyset seeks straight to the row after
the cursor using the ordering's index."""

from dataclasses import dataclass

from cursor_pagination import CursorPaginator, InvalidCursor
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

MAX_PAGE_SIZE = 200


@dataclass
class KeysetPage:
    items: list
    next_cursor: str | None
    has_next: bool


def keyset_page(
    queryset: QuerySet, *, ordering: tuple[str, ...], after: str | None = None, size: int = 50
) -> KeysetPage:
    """The page of `size` rows following the cursor `after` (or the first page).

    `ordering` must end with a unique field (the primary key) so positions are total."""
    size = max(1, min(int(size), MAX_PAGE_SIZE))
    paginator = CursorPaginator(queryset, ordering=ordering)
    try:
        page = paginator.page(first=size, after=after or None)
    except (InvalidCursor, ValueError, TypeError) as exc:
        raise ValidationError({"cursor": [_("This cursor is not valid.")]}) from exc
    items = list(page)
    next_cursor = paginator.cursor(items[-1]) if items and page.has_next else None
    return KeysetPage(items=items, next_cursor=next_cursor, has_next=page.has_next)
