"""Text helpers for Vietnamese names: a folded form for search that works on SQLite and PostgreSQL alike."""

import re
import unicodedata

# Đ/đ is a letter of its own, not D with a combining mark, so NFD leaves it alone.
_D_STROKE = str.maketrans({"Đ": "D", "đ": "d", "Ð": "D"})
# vietnam-provinces writes "Ia H' Drai" where documents write "Ia H'Drai"; curly quotes also occur.
_APOSTROPHES = re.compile(r"\s*['’‘`]\s*")
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lowercase, strip diacritics and normalise spaces and apostrophes: 'ĐẮK  Glei' -> 'dak glei'."""
    text = unicodedata.normalize("NFD", text.translate(_D_STROKE))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    text = _APOSTROPHES.sub("'", text.lower())
    return _SPACES.sub(" ", text).strip()


# The Vietnamese alphabet: ă and â are letters after a, đ after d, and so on. f, j, w, z appear in foreign names.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {letter: i for i, letter in enumerate(_ALPHABET)}
_TONES = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}  # huyền hỏi ngã sắc nặng


def _letter(base: str, marks: set[str]) -> str:
    if base == "a" and "\u0306" in marks:
        return "ă"
    if base in "aeo" and "\u0302" in marks:
        return {"a": "â", "e": "ê", "o": "ô"}[base]
    if base in "ou" and "\u031b" in marks:
        return {"o": "ơ", "u": "ư"}[base]
    return base


def sort_key(text: str) -> str:
    """A key that sorts Vietnamese names alphabetically (Ă, Â after A; Đ after D; tones after letters).

    PostgreSQL sorts with ICU's Vietnamese collation instead; this key gives SQLite the same order.
    """
    chars = unicodedata.normalize("NFD", text.lower())
    primary, tones = [], []
    i = 0
    while i < len(chars):
        base = chars[i]
        i += 1
        marks = set()
        while i < len(chars) and unicodedata.category(chars[i]) == "Mn":
            marks.add(chars[i])
            i += 1
        letter = _letter(base, marks)
        if letter in _LETTER_RANK:
            primary.append(chr(0x41 + _LETTER_RANK[letter]))
            tones.append(next((_TONES[m] for m in marks if m in _TONES), "0"))
        elif base.isspace():
            primary.append(" ")
        else:
            primary.append(base)
    # \x01 sorts below every character, so "An" comes before "An Giang".
    return "".join(primary) + "\x01" + "".join(tones)
