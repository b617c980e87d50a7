"""Checking an attachment's content type against its bytes (the `filetype` package's
magic numbers), so a program sent as "invoice.pdf" is refused rather than stored."""

from dataclasses import dataclass

import filetype

from amity.integrations.mail_reasons import PROGRAM, TYPE_MISMATCH, TYPE_UNPROVEN, Reason

# Programs are refused whatever they claim to be: a CRM has no use for them and a
# colleague may open them.
PROGRAMS = {"application/x-msdownload", "application/x-executable", "application/x-elf",
            "application/x-mach-binary", "application/x-sharedlib", "application/x-dosexec",
            "application/vnd.microsoft.portable-executable"}
UNSPECIFIC = {"", "application/octet-stream", "application/binary", "binary/octet-stream",
              "application/unknown", "application/x-download", "application/force-download"}
ZIP_BASED = {"application/zip", "application/vnd.openxmlformats-officedocument"
             ".wordprocessingml.document",
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "application/vnd.openxmlformats-officedocument.presentationml.presentation",
             "application/vnd.oasis.opendocument.text",
             "application/vnd.oasis.opendocument.spreadsheet",
             "application/epub+zip", "application/java-archive"}
SAME_TYPE = {"image/jpg": "image/jpeg", "image/pjpeg": "image/jpeg", "application/x-pdf":
             "application/pdf", "application/x-zip-compressed": "application/zip",
             "audio/mp3": "audio/mpeg", "image/x-png": "image/png"}
# Types filetype recognises by their bytes: a claim of one of these must be borne out.
RECOGNISABLE = {t.mime for t in filetype.TYPES}


@dataclass(frozen=True)
class TypeCheck:
    content_type: str  # the type the file is served with
    refused: Reason | None = None


def _canonical(mime: str) -> str:
    mime = mime.split(";")[0].strip().lower()
    return SAME_TYPE.get(mime, mime)


def _agrees(declared: str, found: str) -> bool:
    if declared == found:
        return True
    # Office and OpenDocument files are zip archives; filetype names some by their content.
    return declared in ZIP_BASED and found in ZIP_BASED


def attachment_type_check(declared: str, data: bytes) -> TypeCheck:
    """The checked content type of an attachment, or why it is refused."""
    declared = _canonical(declared)
    kind = filetype.guess(data[:8192]) if data else None
    found = _canonical(kind.mime) if kind else ""
    if found in PROGRAMS or declared in PROGRAMS:
        return TypeCheck("", Reason(PROGRAM, {"type": found or declared}))
    if found:
        if declared in UNSPECIFIC or _agrees(declared, found):
            return TypeCheck(found)
        return TypeCheck("", Reason(TYPE_MISMATCH, {"declared": declared, "found": found}))
    if declared in RECOGNISABLE:
        return TypeCheck("", Reason(TYPE_UNPROVEN, {"declared": declared}))
    if declared.startswith("text/") or declared.startswith("message/"):
        return TypeCheck(declared)
    # Nothing in the bytes to check the claim against: served as opaque bytes.
    return TypeCheck("application/octet-stream")
