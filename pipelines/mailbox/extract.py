"""What a message's text says: cleaned text, labelled fields, requested dates and amounts."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from inscriptis import Inscriptis
from inscriptis.css_profiles import CSS_PROFILES
from inscriptis.model.config import ParserConfig
from lxml import etree
from lxml import html as lxml_html

from pipelines.columns import INQUIRY_ALIASES, normalize_key
from pipelines.jptext import YEAR_PATTERN, case_fold, era_year, nfkc
from pipelines.mailbox.settings import Why
from pipelines.vocabulary import FIRST_DATE, LAST_DATE

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


# ----------------------------------------------------------------------------------- text cleaning

_HTML_CONFIG = ParserConfig(css=CSS_PROFILES["strict"], display_links=False, display_images=False)
# Elements that hold quoted earlier mails or signatures in Gmail, Thunderbird, Apple Mail, Outlook.
_HTML_DROP = (
    "//blockquote",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' gmail_quote ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' gmail_attr ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' gmail_signature ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' moz-cite-prefix ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' moz-signature ')]",
    "//*[@id='divRplyFwdMsg' or @id='appendonsend' or @id='signature']",
)


def _html_to_text(html: str) -> str:
    """HTML mail as plain text: quoted blocks and signatures dropped, table rows kept as 'label：value'."""
    html = _CONTROL.sub("", re.sub(r"^\s*<\?xml[^>]*\?>", "", html))
    if not html.strip():
        return ""
    try:
        tree = lxml_html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        tree = lxml_html.document_fromstring("<pre>" + html + "</pre>")
    for xpath in _HTML_DROP:
        for element in tree.xpath(xpath):
            if element.get("id") in ("divRplyFwdMsg", "appendonsend"):
                for later in list(element.itersiblings()):
                    later.drop_tree()
            if element.getparent() is not None:
                element.drop_tree()
    # Contact forms lay fields out as <tr><th>お名前</th><td>山田</td></tr>: mark the label with '：'
    # so the field reads like the plain-text form 'お名前：山田'.
    for row in tree.iter("tr"):
        cells = [c for c in row if isinstance(c.tag, str) and c.tag in ("th", "td")]
        if len(cells) == 2:
            label = cells[0].text_content().strip()
            known = cells[0].tag == "th" or normalize_key(label) in _ALL_LABELS
            if label and known and not label.endswith((":", "：")):
                cells[0].append(lxml_html.fromstring("<span>：</span>"))
    text = Inscriptis(tree, _HTML_CONFIG).get_text()
    return "\n".join(line.rstrip() for line in text.splitlines())


_ATTRIBUTION = re.compile(
    r"(\bwrote\s*:|のメッセージ\s*:|書きました\s*:|>\s*:|\bschrieb\s*:|\ba écrit\s*:)\s*$", re.I
)
_ATTRIBUTION_START = re.compile(r"^(on\s|\d{4}[年/-]|\d{1,2}/\d{1,2}/\d{2,4})", re.I)
_ORIGINAL_MARK = re.compile(
    r"^[-_=\s]*(original message|元のメッセージ|転送済みメッセージ|オリジナルメッセージ)[-_=\s]*$",
    re.I,
)
_OUTLOOK_FROM = re.compile(r"^\s*(from|差出人|送信者)\s*:", re.I)
_OUTLOOK_SENT = re.compile(r"^\s*(sent|date|送信日時|日付|日時)\s*:", re.I)


def _is_quoted(line: str) -> bool:
    return nfkc(line).lstrip().startswith(">")


def _clean_text(text: str) -> str:
    """The new text of a mail: quoted earlier mails ('>' lines, '… wrote:' blocks) and signatures cut."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    lines = [line.rstrip() for line in text.split("\n")]
    keep: list[str] = []
    for index, line in enumerate(lines):
        folded = nfkc(line).strip()
        if folded in ("--", "-- "):
            break  # signature delimiter: the rest is the signature
        if _ORIGINAL_MARK.match(folded):
            break
        if _OUTLOOK_FROM.match(folded) and any(
            _OUTLOOK_SENT.match(nfkc(later)) for later in lines[index + 1 : index + 5]
        ):
            while keep and re.fullmatch(r"[_\-=\s]*", keep[-1]) and keep[-1].strip():
                keep.pop()
            break
        if _ATTRIBUTION.search(folded) and not _is_quoted(line):
            following = [later for later in lines[index + 1 :] if later.strip()]
            # a wrapped attribution ('On Thu, … <a@' / 'example.jp> wrote:') starts a line earlier
            if keep and keep[-1].strip() and _ATTRIBUTION_START.match(keep[-1].strip()):
                keep.pop()
            if following and _is_quoted(following[0]):
                continue  # quoted lines follow: drop the attribution, keep answers between quotes
            break  # an Outlook-style block without '>': everything below is the earlier mail
        if _is_quoted(line):
            continue
        keep.append(line)
    cleaned = "\n".join(keep)
    cleaned = re.sub(r"\n{3,}", "\n\n", cleaned)
    return cleaned.strip()


def _first_phrase(text: str, phrases: Sequence[str]) -> str | None:
    folded = case_fold(text)
    for phrase in phrases:
        if case_fold(phrase) in folded:
            return phrase
    return None


# -------------------------------------------------------------------------------- labelled fields

_FIELDS = (
    "customer_name",
    "customer_address",
    "customer_email",
    "target_phone",
    "requested_for",
    "service",
)
# English contact forms label their fields as people write them ('Name:', 'Number to call:'); these
# are labels in a mail only, not column headers of a log ('Phone' alone is the customer's own number).
MAIL_ENGLISH_LABELS: dict[str, tuple[str, ...]] = {
    "customer_name": ("name", "full name", "your name"),
    "customer_address": ("address", "your address", "home address"),
    "customer_email": ("email address", "e-mail address", "your email"),
    "target_phone": ("number to call", "phone number to call", "phone to call", "target phone"),
    "requested_for": ("preferred date", "requested date", "date of the call", "call date"),
    "service": ("type of service", "service type"),
}
_ALL_LABELS = {
    normalize_key(spelling)
    for canonical, spellings in INQUIRY_ALIASES.items()
    for spelling in (canonical, *spellings, *MAIL_ENGLISH_LABELS.get(canonical, ()))
}
_LABELS: dict[str, str] = {
    normalize_key(spelling): canonical
    for canonical in _FIELDS
    for spelling in (canonical, *INQUIRY_ALIASES[canonical], *MAIL_ENGLISH_LABELS[canonical])
}
_OPEN, _CLOSE = "【\\[［「〔(（<＜", "】\\]］」〕)）>＞"
# 'お名前：山田', '■ご住所: …', 'メール（必須）：…', '【お名前】山田' (a bracketed label needs no colon).
# Matched on the line as written, full-width and half-width alike, so the value keeps its own width.
_LABEL_LINE = re.compile(
    rf"^[\s■□◆◇●○・*＊\-－►▶▼◎☆★]*"
    rf"(?:[{_OPEN}]\s*(?P<blabel>[^{_OPEN}{_CLOSE}:：]{{1,24}}?)\s*[{_CLOSE}]\s*[:：]?"
    rf"|(?P<label>[^{_OPEN}{_CLOSE}:：]{{1,24}}?(?:[(（][^)）:：]{{1,12}}[)）])?)\s*[*＊※]?\s*[:：])"
    rf"\s*(?P<value>.*)$"
)


def _line_label(line: str) -> tuple[str, str, str] | None:
    """(canonical field, label, value) of a labelled line, or None."""
    match = _LABEL_LINE.match(line)
    if not match:
        return None
    label = (match.group("blabel") or match.group("label") or "").strip()
    canonical = _label_field(label)
    return (canonical, label, match.group("value").strip()) if canonical else None


def _label_field(label: str) -> str | None:
    """The canonical field a label names ('お名前', '【ご住所】', 'お名前(必須)'), or None."""
    key = normalize_key(label)
    key = re.sub(r"\((必須|任意|required|optional|\*)\)$|[*※]$", "", key)
    return _LABELS.get(key.strip("【】[]「」〔〕■□◆◇●○・*-"))


def _labelled_fields(text: str) -> dict[str, tuple[str, str]]:
    """Fields written 'label：value' in a body (first of each); field -> (label, value)."""
    found: dict[str, tuple[str, str]] = {}
    lines = text.split("\n")
    for index, line in enumerate(lines):
        labelled = _line_label(line)
        if labelled is None or labelled[0] in found:
            continue
        canonical, label, value = labelled
        if not value:  # 'ご住所：' with the value on the next line
            following = [later.strip() for later in lines[index + 1 : index + 3] if later.strip()]
            if following and _line_label(following[0]) is None:
                value = following[0]
        if value:
            found[canonical] = (label, value)
    return found


_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
_FULL_DATE = re.compile(
    rf"(?P<y>{YEAR_PATTERN})\s*[-/年.]\s*(?P<m>\d{{1,2}})\s*[-/月.]\s*"
    r"(?P<d>\d{1,2})(?!\d)\s*日?",
    re.I,
)
_SHORT_DATE = re.compile(r"(?<![\d/.\-])(?P<m>\d{1,2})\s*(?:/|月)\s*(?P<d>\d{1,2})(?!\d)\s*日?")
_TIME = re.compile(
    r"^\s*(?:\([^)]{1,4}\))?\s*T?\s*(?P<ampm>午前|午後|am|pm)?\s*(?P<h>\d{1,2})\s*(?::|時)\s*"
    r"(?P<mi>\d{1,2}|半)?",
    re.I,
)


def _requested_for(value: str, received: date) -> tuple[str, Why]:
    """A labelled requested date as 'YYYY-MM-DD[ HH:MM]' (blank when it names no date) and a note.

    A date without a year is the one nearest the received date (「1月5日」 asked on 12-20 is next year's).
    """
    text = nfkc(value)
    match = _FULL_DATE.search(text)
    year = None
    if match:
        year = era_year(match.group("y"))
    else:
        match = _SHORT_DATE.search(text)
    if not match:
        return "", ("requested_no_date", {"value": value})
    month, day = int(match.group("m")), int(match.group("d"))
    try:
        if year is None:
            options = [
                date(y, month, day) for y in (received.year - 1, received.year, received.year + 1)
            ]
            picked = min(options, key=lambda d: (abs((d - received).days), d))
        else:
            picked = date(year, month, day)
    except ValueError:
        return "", ("requested_not_real", {"value": value})
    if not FIRST_DATE <= picked <= LAST_DATE:
        return "", ("requested_out_of_range", {"value": value})
    result = picked.isoformat()
    time = _TIME.match(text[match.end() :])
    if time:
        hour = int(time.group("h"))
        minute = 30 if time.group("mi") == "半" else int(time.group("mi") or 0)
        if (time.group("ampm") or "").lower() in ("午後", "pm") and hour < 12:
            hour += 12
        if hour < 24 and minute < 60:
            result += f" {hour:02d}:{minute:02d}"
    return result, ("requested_from_field", {"value": value, "result": result})


# ------------------------------------------------------------------------------------- amounts

_NUMBER = r"\d{1,3}(?:,\d{3})+|\d+"
_AMOUNT = re.compile(
    rf"(?P<man>\d+(?:\.\d+)?)\s*万\s*(?P<rest>\d{{1,4}})?\s*円"
    rf"|[¥\\]\s*(?P<pre>{_NUMBER})"
    rf"|JPY\s*(?P<jpy>{_NUMBER})"
    rf"|(?P<post>{_NUMBER})\s*(?:円|yen\b|JPY\b)",
    re.I,
)
_TOTAL_WORDS = ("合計", "総額", "総計", "total")
_QUOTE_WORDS = ("見積", "金額", "料金", "代金", "費用", "価格", "quote", "price")


def _amounts(text: str) -> list[tuple[int, str]]:
    """Every positive yen amount in a text with the line it is on, in order."""
    found: list[tuple[int, str]] = []
    for line in nfkc(text).split("\n"):
        for match in _AMOUNT.finditer(line):
            if match.group("man"):
                amount = round(float(match.group("man")) * 10000) + int(match.group("rest") or 0)
            else:
                digits = match.group("pre") or match.group("jpy") or match.group("post")
                amount = int(digits.replace(",", ""))
            if amount > 0:
                found.append((amount, line.strip()))
    return found


def _quoted_amount(text: str) -> tuple[int, str, Why | None] | None:
    """The amount a quote mail states: (amount, its line, a note when several were stated)."""
    found = _amounts(text)
    if not found:
        return None
    distinct = sorted({a for a, _ in found})
    if len(distinct) == 1:
        return found[0][0], found[0][1], None
    totals = [(a, line) for a, line in found if any(w in line.casefold() for w in _TOTAL_WORDS)]
    quotes = [(a, line) for a, line in found if any(w in line.casefold() for w in _QUOTE_WORDS)]
    if totals:
        amount, line = totals[-1]
        how = ("amount_on_total_line", {})
    elif quotes:
        amount, line = quotes[0]
        how = ("amount_first_quote_line", {})
    else:
        amount = distinct[-1]
        line = next(line for a, line in found if a == amount)
        how = ("amount_largest", {})
    shown = ", ".join(f"{a:,}円" for a in distinct)
    return (
        amount,
        line,
        ("several_amounts", {"shown": shown, "amount": amount, "how": list(how)}),
    )
