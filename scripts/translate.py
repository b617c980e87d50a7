"""Fill translations into the .po catalogues in place.

    .venv/bin/python scripts/translate.py FILE.json

FILE.json maps a language to {msgid: msgstr}, e.g. {"th": {"Billing": "การเรียกเก็บเงิน"}}.
Each entry's msgstr is replaced and its fuzzy flag and previous-msgid lines dropped; the rest
of the file is left byte for byte (babel's write_po would re-wrap every entry).
Prints the msgids still untranslated or fuzzy after the edit.
"""

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parent.parent / "src" / "amity" / "locale"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _msgid(block: list[str]) -> str | None:
    """The msgid of a block of lines (joined over continuation lines), or None."""
    parts, inside = [], False
    for line in block:
        if line.startswith("msgid "):
            inside = True
            parts.append(line[6:])
        elif inside and line.startswith('"'):
            parts.append(line)
        elif inside:
            break
    if not parts:
        return None
    return "".join(json.loads(p) for p in parts)


def fill(language: str, strings: dict[str, str]) -> list[str]:
    path = LOCALE / language / "LC_MESSAGES" / "django.po"
    blocks = path.read_text(encoding="utf-8").rstrip("\n").split("\n\n")
    for i, text in enumerate(blocks):
        block = text.split("\n")
        msgid = _msgid(block)
        plural = any(line.startswith("msgid_plural") for line in block)
        if msgid is None or msgid not in strings or plural:
            continue
        kept = [line for line in block
                if not line.startswith("#|") and line.strip() != "#, fuzzy"]
        kept = [line.replace("#, fuzzy, ", "#, ") for line in kept]
        start = next(n for n, line in enumerate(kept) if line.startswith("msgstr "))
        blocks[i] = "\n".join([*kept[:start], "msgstr " + _quote(strings[msgid])])
    path.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    with path.open("rb") as f:
        return [m.id for m in read_po(f) if m.id and (not m.string or m.fuzzy)]


if __name__ == "__main__":
    table = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    for lang, strings in table.items():
        left = fill(lang, strings)
        print(lang, "left:", left)
