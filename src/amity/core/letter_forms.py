"""Letters Arabic and Persian keyboards (and Windows-1256, which has no Persian yeh) write
differently: yeh ي ى against ی, kaf ك against ک. Text folded to the Persian forms compares
equal however it was typed."""

ARABIC_FORMS, PERSIAN_FORMS = "يىك", "ییک"
LETTER_FORMS = str.maketrans(ARABIC_FORMS, PERSIAN_FORMS)  # for str.translate
