"""Splitting a stream of items into lists of a given size: export chunks, import batches."""

from collections.abc import Iterable, Iterator
from itertools import islice


def chunks(items: Iterable, size: int) -> Iterator[list]:
    """`items` in lists of `size` (the last one shorter)."""
    items = iter(items)
    while chunk := list(islice(items, size)):
        yield chunk
