"""Local implementations of Gedeon's `tf` text options (spec "Formatage des résultats").

Each option is a pure function on text; `format_text` applies a site's chosen set in
a fixed order and returns safe HTML (the text is always escaped first).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"']+[^\s<>\"'.,;:!?)\]]", re.IGNORECASE)
MAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\b", re.IGNORECASE)
# French numbers: 0X XX XX XX XX in any spacing/dots/dashes, or +33 / 0033 forms.
PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)33[\s.-]?(?:\(0\))?[\s.-]?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\d)"
)

OPTIONS = (
    "strip-urls",
    "strip-mails",
    "strip-phones",
    "strip-cr",
    "clean-phones",
    "clean-cr",
    "clean-spaces",
    "clean-punctuation",
    "anchor-urls",
    "anchor-mails",
    "anchor",
    "recase",
    "html",
)


def strip_urls(text: str) -> str:
    return URL.sub("", text)


def strip_mails(text: str) -> str:
    return MAIL.sub("", text)


def strip_phones(text: str) -> str:
    return PHONE.sub("", text)


def strip_cr(text: str) -> str:
    return re.sub(r"[ \t]*(?:\r\n|\r|\n)+[ \t]*", " ", text)


def _french_phone(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    if digits.startswith("0033"):
        digits = "0" + digits[4:]
    elif digits.startswith("33"):
        digits = "0" + digits[2:]
    if digits.startswith("00"):  # +33 (0)4 ...
        digits = digits[1:]
    digits = digits[-10:]
    return " ".join(digits[i : i + 2] for i in range(0, 10, 2))


def clean_phones(text: str) -> str:
    """Every French number as `04 78 00 00 00`."""
    return PHONE.sub(_french_phone, text)


def clean_cr(text: str) -> str:
    """Line breaks as `\\n`, never more than one blank line in a row."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


def clean_spaces(text: str) -> str:
    return re.sub(r"[ \t\u00a0]{2,}", " ", text).strip(" \t")


def clean_punctuation(text: str) -> str:
    """No space before , and . ; one space after ; French non-breaking space before ; : ! ?"""
    text = re.sub(r"[ \t]+([,.])", r"\1", text)
    text = re.sub(r"([,;:!?])(?=[^\s\d/\\)»\"'])", r"\1 ", text)
    text = re.sub(r"\.(?=[A-ZÀ-Ý])", ". ", text)
    text = re.sub(r"[ \t\u00a0]*([;:!?])", "\u00a0\\1", text)
    # URLs keep their colon: "http\u00a0:" would break them.
    return re.sub(r"(https?)\u00a0:", r"\1:", text)


# Capitals that stay capitals when a text is recased: French property abbreviations.
ABBREVIATIONS = frozenset(
    "ADSL ALUR BBC CC DPE EDL ERP FAI GES HC HLM HT LMNP LMP PLU PMR PTZ RATP RDC RER SCI SDB "
    "SDE SNCF TER TGV TNT TTC TVA VEFA VMC WC ZAC".split()
)
# Room counts and norms: 2P, T3, F4, T2BIS, RT2012, RE2020.
_CODE = re.compile(r"(?:\d{1,2}P|[TF]\d{1,2}(?:BIS)?|RT\d{4}|RE\d{4})")
_CLASS_BEFORE = re.compile(r"(?:DPE|GES|CLASSE|ÉNERGIE|CLIMAT)\s*:?\s*$", re.IGNORECASE)
_SENTENCE_BREAK = re.compile(r"((?<=[.!?…])\s+|\n+)")
_WORD = re.compile(r"\w+")
_NAME_SEPARATORS = re.compile(r"[\s\-'’_.]+")


def _mostly_capitals(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.5


def _proper(name: str) -> str:
    """A place name as written, or title-cased when upstream wrote it in capitals."""
    return name.title() if name.isupper() else name


def _folded(text: str) -> str:
    """`text` lower-cased without accents, character for character (same length)."""
    return "".join(
        (unicodedata.normalize("NFKD", c)[:1].lower()[:1] or c) if c.isalpha() else c for c in text
    )


def _loose(name: str) -> re.Pattern[str] | None:
    """`name` however written: any case, accents or separators ("SAINT ETIENNE" for
    "Saint-Étienne"), matched on `_folded` text."""
    words = [w for w in _NAME_SEPARATORS.split(_folded(name)) if w]
    if not words:
        return None
    return re.compile(r"(?<!\w)" + _NAME_SEPARATORS.pattern.join(map(re.escape, words)) + r"(?!\w)")


def _cased_like(span: str, name: str) -> str:
    """`span` (a lowered spelling of `name`) with each word capitalised where the name's
    own word is: "saint etienne" -> "Saint Etienne" for "Saint-Étienne"."""
    cased = iter(w for w in _NAME_SEPARATORS.split(name) if w)

    def word(match: re.Match[str]) -> str:
        model = next(cased, "")
        token = match.group(0)
        return token[:1].upper() + token[1:] if model[:1].isupper() else token

    return re.sub(r"[^\s\-'’_.]+", word, span)


def _keep_loose_names(result: str, names: list[tuple[re.Pattern[str], str]]) -> str:
    for _pattern, proper in names:
        loose = _loose(proper)
        if loose is None:
            continue
        folded = _folded(result)
        for match in reversed(list(loose.finditer(folded))):
            span = result[match.start() : match.end()]
            if span == span.lower():  # lowered by the recasing, not already the name
                result = result[: match.start()] + _cased_like(span, proper) + result[match.end() :]
    return result


def _recase_sentence(sentence: str, names: list[tuple[re.Pattern[str], str]]) -> str:
    def word(match: re.Match[str]) -> str:
        token = match.group(0)
        if token in ABBREVIATIONS or _CODE.fullmatch(token):
            return token
        before = match.string[max(0, match.start() - 12) : match.start()]
        if len(token) == 1 and token in "ABCDEFG" and _CLASS_BEFORE.search(before):
            return token  # "DPE C": an energy class
        return token.lower()

    result = _WORD.sub(word, sentence)
    for pattern, proper in names:
        result = pattern.sub(proper, result)
    result = _keep_loose_names(result, names)
    first = next((i for i, c in enumerate(result) if c.isalpha()), None)
    if first is not None and result[first].islower():
        result = result[:first] + result[first].upper() + result[first + 1 :]
    return result


def recase(text: str, keep: Iterable[str] = ()) -> str:
    """Sentence case for the sentences (and lines) written mostly in capitals; the others
    are left alone. Abbreviations (ABBREVIATIONS, 2P, T3, "DPE C") keep their capitals and
    the place names in `keep` (the listing's city and district) their own case.

    Gedeon's `tf=recase` (spec "Formatage des résultats") recases a text with more than
    30 % capitals; applied to a whole text that lowers the names and abbreviations of its
    normal sentences too, so the choice is made sentence by sentence, at more than half.
    """
    if not _mostly_capitals(text) and not any(
        _mostly_capitals(part) for part in _SENTENCE_BREAK.split(text)[::2]
    ):
        return text
    names = [
        (re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.IGNORECASE), _proper(name))
        for name in sorted({n.strip() for n in keep if n and n.strip()}, key=len, reverse=True)
    ]
    parts = _SENTENCE_BREAK.split(text)
    for index in range(0, len(parts), 2):
        if _mostly_capitals(parts[index]):
            parts[index] = _recase_sentence(parts[index], names)
    return "".join(parts)


def place_names(city: str, district: str = "") -> tuple[str, ...]:
    """The names `recase` keeps for a listing: its city and its district."""
    return tuple(name for name in (city.strip(), district.strip()) if name)


def recased_title(title: str, options: Iterable[str], keep: Iterable[str] = ()) -> str:
    """The title as the site's options want it: recased like the description (plain text)."""
    return recase(title, keep) if "recase" in set(options) else title


def anchor_urls(html: str) -> str:
    def link(match: re.Match[str]) -> str:
        url = match.group(0)
        href = url if url.lower().startswith("http") else f"https://{url}"
        return f'<a href="{href}" rel="nofollow noopener">{url}</a>'

    return URL.sub(link, html)


def anchor_mails(html: str) -> str:
    return MAIL.sub(lambda m: f'<a href="mailto:{m.group(0)}">{m.group(0)}</a>', html)


def to_html(text: str) -> str:
    paragraphs = [p for p in re.split(r"\n{2,}", text) if p.strip()]
    return "".join(f"<p>{p.strip().replace(chr(10), '<br>')}</p>" for p in paragraphs)


# After `recase`, which needs the listing's place names (format_text applies it first).
TEXT_STEPS: tuple[tuple[str, Callable[[str], str]], ...] = (
    ("strip-urls", strip_urls),
    ("strip-mails", strip_mails),
    ("strip-phones", strip_phones),
    ("clean-phones", clean_phones),
    ("clean-cr", clean_cr),
    ("strip-cr", strip_cr),
    ("clean-spaces", clean_spaces),
    ("clean-punctuation", clean_punctuation),
)


def format_text(text: str, options: Iterable[str], *, keep: Iterable[str] = ()) -> SafeString:
    """The description formatted with a site's `tf` options, as safe HTML; `keep` are the
    place names `recase` keeps (the listing's city and district, `place_names`)."""
    chosen = set(options)
    if "recase" in chosen:
        text = recase(text, keep)
    for name, step in TEXT_STEPS:
        if name in chosen:
            text = step(text)
    html: str = escape(text)
    if "html" in chosen:
        if chosen & {"anchor", "anchor-urls"}:
            html = anchor_urls(html)
        if chosen & {"anchor", "anchor-mails"}:
            html = anchor_mails(html)
        return mark_safe(to_html(html))  # noqa: S308 - built from escaped text
    return mark_safe(f'<p class="plain-text">{html}</p>')  # noqa: S308
