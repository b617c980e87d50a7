"""Serves plotly.js from the plotly package (which ships it) as static/plotly/plotly.min.js,
so charts load from Amity itself, never a CDN. Only that one file: the package's data
sets and widget bundle stay out of collectstatic."""

from pathlib import Path

from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

NAME = "plotly.min.js"
PREFIX = "plotly"


def _storage() -> FileSystemStorage | None:
    try:
        import plotly
    except ImportError:  # charts fall back to their tables
        return None
    storage = FileSystemStorage(location=Path(plotly.__file__).parent / "package_data")
    storage.prefix = PREFIX
    return storage


class PlotlyFinder(BaseFinder):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.storage = _storage()

    def find(self, path: str, find_all: bool = False, **kwargs):
        if self.storage is None or path != f"{PREFIX}/{NAME}":
            return [] if find_all else None
        found = self.storage.path(NAME)
        return [found] if find_all else found

    def list(self, ignore_patterns):
        if self.storage is not None:
            yield NAME, self.storage
