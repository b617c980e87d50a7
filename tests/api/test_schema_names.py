"""Two API schemas with one name share one entry in the OpenAPI document, so one of them
is described wrongly (a quote line documented as an opportunity line): names are unique."""

from collections import Counter

from ninja import Schema

import amity.api.main  # noqa: F401  (imports every router and its schemas)


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub} | _subclasses(sub)
    return found


def test_every_api_schema_has_its_own_name():
    # Filter query schemas become query parameters, not named components.
    ours = [cls for cls in _subclasses(Schema) if cls.__module__.startswith("amity.")
            and not cls.__name__.endswith("FilterQuery")]
    repeated = {name: [c.__module__ for c in ours if c.__name__ == name]
                for name, count in Counter(c.__name__ for c in ours).items() if count > 1}
    assert repeated == {}
