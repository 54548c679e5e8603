"""Raw bytes of an inbox file -> Arabic text, or a clear reason why the file is rejected.

`decode_document` never raises. It accepts UTF-8 (with or without BOM), UTF-16 (BOM, or BOM-less when
the byte pattern is unmistakable), Windows-1256, and HTML pages (the article text is extracted with the
stdlib html.parser). It repairs mojibake (UTF-8 that was once read as Latin-1/cp1252 and saved again) with
ftfy, normalises line ends to "\\n", keeps what decodes of a truncated final multibyte sequence, and
rejects empty, binary, oversized and non-Arabic input with a human reason. Everything it had to repair is
listed in `warnings`.

All work is linear in the input size: codecs, a handful of compiled regexes without nested
quantifiers, `bytes.count` / `str.translate`, and the streaming HTML parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import ftfy

MAX_BYTES = 20 * 1024 * 1024

__all__ = ["DecodeResult", "decode_document", "size_limit_reason", "MAX_BYTES"]


@dataclass(frozen=True, slots=True)
class DecodeResult:
    text: str | None
    encoding: str | None
    reason: str | None = None  # why the document was rejected; None when text is usable
    warnings: list[str] = field(default_factory=list)  # repairs made on an accepted document

    @property
    def ok(self) -> bool:
        return self.text is not None


_MAGIC = (
    (b"%PDF", "PDF"),
    (b"PK\x03\x04", "ZIP/Office archive"),
    (b"\x89PNG", "PNG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"\x1f\x8b", "gzip archive"),
    (b"Rar!", "RAR archive"),
    (b"7z\xbc\xaf", "7-Zip archive"),
    (b"\x7fELF", "executable"),
    (b"MZ", "executable"),
    (b"\xd0\xcf\x11\xe0", "OLE/Office document"),
    (b"RIFF", "RIFF media"),
    (b"ID3", "MP3 audio"),
    (b"SQLite format 3", "SQLite database"),
)
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# C0 controls other than \t \n \v \f \r, and DEL: a few are stripped, many mean binary content.
_CONTROL_BYTES = bytes([*range(0, 9), *range(14, 32), 127])
_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
# Mojibake of Arabic UTF-8 read as Latin-1/cp1252: lead byte Ø/Ù/Ú/Û followed by a continuation byte
# shown as a C1 control, a Latin-1 symbol or a cp1252 punctuation mark.
_MOJIBAKE_RE = re.compile(
    "[\u00d8\u00d9\u00da\u00db][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)
_HTML_SNIFF_RE = re.compile(
    rb"<\s*(!doctype\s+html|html|head|body|meta|title|article|div|p|h[1-6]|br|span|section|main|table)\b", re.I
)
_META_CHARSET_RE = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]{2,30})""", re.I)
_NEWLINES_RE = re.compile(r"\r\n?|[\u2028\u2029\x85\x0b\x0c]")


def decode_document(data: bytes, source_name: str) -> DecodeResult:
    """Decodes one inbox file; returns text, or text=None and a reason. Never raises."""
    try:
        return _decode(data, source_name or "")
    except Exception as exc:  # the last line of defence: a bad file must never stop a batch
        return DecodeResult(None, None, f"undecodable: internal decoder error ({type(exc).__name__}: {exc})")


def _reject(reason: str, encoding: str | None = None) -> DecodeResult:
    return DecodeResult(None, encoding, reason)


def size_limit_reason(size: int) -> str | None:
    """Why a file of `size` bytes is rejected unread, or None when it is within the limit."""
    if size > MAX_BYTES:
        return f"larger than the {MAX_BYTES // (1024 * 1024)} MB limit ({size / 1048576:.1f} MB)"
    return None


def _decode(data: bytes, source_name: str) -> DecodeResult:
    if not isinstance(data, (bytes, bytearray, memoryview)):
        return _reject(f"not bytes ({type(data).__name__})")
    data = bytes(data)
    size = len(data)
    if size == 0:
        return _reject("empty file")
    if too_large := size_limit_reason(size):
        return _reject(too_large)
    warnings: list[str] = []

    text, encoding = _decode_unicode_with_bom(data)
    if text is None:
        for magic, kind in _MAGIC:
            if data.startswith(magic):
                return _reject(f"binary content ({kind})")
        if not data.strip():
            return _reject("empty file (whitespace only)")
        utf16 = _sniff_bomless_utf16(data)
        if utf16:
            try:
                text, encoding = data.decode(utf16), utf16
                warnings.append(f"no byte-order mark: decoded as {utf16} from its byte pattern")
            except UnicodeDecodeError:
                text = None
    if text is None:
        nuls = data.count(0)
        if nuls > 2:
            return _reject(f"binary content (NUL bytes: {nuls})")
        controls = size - len(data.translate(None, _CONTROL_BYTES))
        if controls * 100 > size:
            return _reject(f"binary content ({controls} control bytes)")
        if nuls:
            data = data.replace(b"\x00", b"")
            warnings.append(f"removed {nuls} stray NUL byte(s)")
        text, encoding, why = _decode_bytes(data, warnings)
        if text is None:
            return _reject(why or "undecodable bytes")

    # Byte-level counts of the UTF-8 form: C-speed, no per-character Python or regex work.
    encoded = text.encode("utf-8", "surrogatepass")
    nuls = encoded.count(0)
    if nuls > 2:
        return _reject(f"binary content (NUL characters: {nuls})", encoding)
    if len(encoded) != len(encoded.translate(None, _CONTROL_BYTES)):
        text = _CONTROL_RE.sub("", text)
        warnings.append(f"removed {nuls} stray NUL character(s)" if nuls else "removed control characters")
    if text[:1] == "\ufeff":
        text = text[1:]
    # Before newline normalisation: the mojibake of some letters contains U+0085 (NEL).
    if ("\u00d8" in text or "\u00d9" in text) and _MOJIBAKE_RE.search(text):
        fixed = ftfy.fix_encoding(text)
        if fixed != text and _arabic_count(fixed) > _arabic_count(text):
            text = fixed
            warnings.append("repaired mojibake (UTF-8 once read as Latin-1/cp1252)")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if any(ch in text for ch in _ODD_NEWLINES):
        text = _NEWLINES_RE.sub("\n", text)

    if "<" in text and _looks_like_html(text, source_name):
        extracted = html_to_text(text)
        if extracted.strip():
            text = extracted
            warnings.append("HTML page: kept the article text (title, headings, paragraphs)")
        else:
            return _reject("HTML page without article text", encoding)

    if not text.strip():
        return _reject("empty file (whitespace only)", encoding)
    arabic = _arabic_count(text)
    if arabic == 0:
        return _reject("no Arabic text", encoding)
    letters = arabic + _latin_count(text)
    if arabic * 100 < letters * 20:
        return _reject(f"mostly non-Arabic text ({100 * arabic // letters}% Arabic letters)", encoding)
    return DecodeResult(text, encoding, None, warnings)


def _decode_unicode_with_bom(data: bytes) -> tuple[str | None, str | None]:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            base = codec.replace("-sig", "")
            try:
                return body.decode(base), codec
            except UnicodeDecodeError:
                # A BOM is a strong statement; keep what decodes rather than guess another codec.
                return body.decode(base, errors="replace"), codec + " (with replacement characters)"
    return None, None


def _sniff_bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without BOM: Arabic and ASCII code units have high bytes 0x06 / 0x00 almost always."""
    n = len(data)
    if n < 8 or n % 2:
        return None
    sample = data[:65536] if n > 65536 else data
    even, odd = sample[0::2], sample[1::2]
    half = len(odd)

    def share(part: bytes) -> float:
        return (part.count(0) + part.count(6)) / half

    if share(odd) > 0.9 and odd.count(6) > 0 and share(even) < 0.5:
        return "utf-16-le"
    if share(even) > 0.9 and even.count(6) > 0 and share(odd) < 0.5:
        return "utf-16-be"
    return None


def _decode_bytes(data: bytes, warnings: list[str]) -> tuple[str | None, str | None, str | None]:
    try:
        return data.decode("utf-8"), "utf-8", None
    except UnicodeDecodeError as exc:
        first_error = exc
    # A multibyte sequence cut off at the very end (a truncated download): keep what decodes.
    if first_error.start >= len(data) - 3 and first_error.reason == "unexpected end of data":
        head = data[: first_error.start]
        try:
            text = head.decode("utf-8")
            warnings.append(f"truncated multibyte sequence at the end: dropped {len(data) - first_error.start} byte(s)")
            return text, "utf-8", None
        except UnicodeDecodeError:
            pass
    declared = _declared_charset(data)
    candidates = []
    if declared and declared not in ("utf-8", "utf8"):
        candidates.append(declared)
    candidates += [c for c in ("cp1256",) if c not in candidates]
    utf8_lossy = data.decode("utf-8", errors="replace")
    bad = utf8_lossy.count("\ufffd")
    best: tuple[int, str, str] | None = None
    for codec in candidates:
        try:
            text = data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        score = _arabic_count(text)
        # UTF-8 Arabic read as cp1256 turns every lead byte 0xD8/0xD9 into ط/ظ: not a real reading.
        if score and (text.count("ط") + text.count("ظ")) * 100 > score * 30:
            score = 0
        if best is None or score > best[0]:
            best = (score, text, codec)
    utf8_score = _arabic_count(utf8_lossy)
    # Mostly valid UTF-8 with a few broken bytes beats a single-byte reading of the same bytes.
    if utf8_score > 0 and utf8_score >= 2 * bad and (best is None or utf8_score * 1.2 >= best[0]):
        warnings.append(f"invalid UTF-8: {bad} undecodable byte sequence(s) replaced with U+FFFD")
        return utf8_lossy, "utf-8", None
    if best is not None and best[0] > 0:
        warnings.append(f"not UTF-8: decoded as {best[2]}")
        return best[1], best[2], None
    latin = data.decode("latin-1")
    if len(_MOJIBAKE_RE.findall(latin[:20000])) >= 3:
        fixed = ftfy.fix_encoding(latin)
        if _arabic_count(fixed) > _arabic_count(latin):
            warnings.append("repaired mojibake (UTF-8 read as Latin-1/cp1252 and saved in that code page)")
            return fixed, "latin-1+ftfy", None
    if best is not None and _arabic_count(best[1]) == 0:
        # Decodes, but not as Arabic: let the language check give the reason.
        return best[1], best[2], None
    return None, None, f"undecodable bytes (not UTF-8 at byte {first_error.start}, nor {', '.join(candidates)})"


def _declared_charset(data: bytes) -> str | None:
    m = _META_CHARSET_RE.search(data[:4096])
    if not m:
        return None
    name = m.group(1).decode("ascii", "ignore").lower()
    aliases = {"windows-1256": "cp1256", "win-1256": "cp1256", "arabic": "iso8859-6", "iso-8859-6": "iso8859-6"}
    name = aliases.get(name, name)
    try:
        import codecs

        return codecs.lookup(name).name
    except LookupError:
        return None


def _arabic_count(text: str) -> int:
    """Characters of the Arabic block U+0600-U+06FF (their UTF-8 lead bytes are 0xD8-0xDB)."""
    encoded = text.encode("utf-8", "surrogatepass")
    return len(encoded) - len(encoded.translate(None, _ARABIC_LEAD_BYTES))


def _latin_count(text: str) -> int:
    """ASCII letters plus Latin-1/Latin Extended letters (lead bytes 0xC3-0xC9 in UTF-8)."""
    encoded = text.encode("utf-8", "surrogatepass")
    return len(encoded) - len(encoded.translate(None, _LATIN_BYTES))


_ARABIC_LEAD_BYTES = b"\xd8\xd9\xda\xdb"
_LATIN_BYTES = bytes([*range(0x41, 0x5B), *range(0x61, 0x7B), *range(0xC3, 0xCA)])
_ODD_NEWLINES = ("\u2028", "\u2029", "\x85", "\x0b", "\x0c")


def _looks_like_html(text: str, source_name: str) -> bool:
    head = text[:4096].lstrip().lower()
    if source_name.lower().endswith((".html", ".htm", ".xhtml")) and "<" in head:
        return True
    if head.startswith(("<!doctype html", "<html", "<?xml")):
        return True
    sniff = text[:20000].encode("utf-8", "ignore")
    return len(_HTML_SNIFF_RE.findall(sniff)) >= 3


# --------------------------------------------------------------------------------------------- HTML

# Content of these elements is never article text.
_SKIP = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "math",
        "nav",
        "header",
        "footer",
        "aside",
        "form",
        "button",
        "select",
        "textarea",
        "iframe",
        "object",
        "embed",
        "canvas",
        "video",
        "audio",
        "figcaption",
        "dialog",
    }
)
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
)
# Elements that end a line of text.
_BLOCK = frozenset(
    {
        "p",
        "div",
        "br",
        "hr",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "tr",
        "td",
        "th",
        "table",
        "section",
        "article",
        "main",
        "blockquote",
        "pre",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "figure",
        "address",
        "center",
        "body",
    }
)
_PARAGRAPH = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "li", "article", "section", "table", "figure"}
)
_SPACES_RE = re.compile(r"[ \t\u00a0]+")
_BLANKS_RE = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")


# Tags that html.parser's fast path below may take: a name, then only attributes that are bare or have a
# quoted value without < or >, then > or />. Anything else goes through html.parser's own code.
_PLAIN_START_TAG_RE = re.compile(
    r"""<([a-zA-Z][a-zA-Z0-9]*)(?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:\s*=\s*(?:"[^"<>]*"|'[^'<>]*'))?)*\s*(/?)>"""
)
_PLAIN_END_TAG_RE = re.compile(r"</([a-zA-Z][a-zA-Z0-9]*)\s*>")
# Start tags whose attributes the extractor reads: they always take html.parser's full parse.
_ATTRIBUTES_READ = frozenset({"meta", "link"})


class _ArticleExtractor(HTMLParser):
    def __init__(self, skip: frozenset[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.skip_tags = skip
        self.parts: list[str] = []
        self.skip_depth = 0
        self.skip_stack: list[str] = []
        self.in_title = False
        self.title_parts: list[str] = []
        self.h1_seen = False
        self.canonical: str | None = None
        self.published: str | None = None

    # html.parser spends microseconds on each tag, mostly parsing attributes this class never reads, and
    # counting lines for getpos(): a 2 MB page of nothing but tags took seconds. Plain tags take a shortcut
    # to the same handle_* calls (with no attributes: only meta and link have theirs read, and they keep the
    # full parse, as do script and style, which switch the parser into raw-text mode).
    def parse_starttag(self, i: int) -> int:
        m = _PLAIN_START_TAG_RE.match(self.rawdata, i)
        tag = m.group(1).lower() if m else ""
        if not m or tag in _ATTRIBUTES_READ or tag in self.CDATA_CONTENT_ELEMENTS:
            return super().parse_starttag(i)
        self.lasttag = tag
        if m.group(2):
            self.handle_startendtag(tag, [])
        else:
            self.handle_starttag(tag, [])
        return m.end()

    def parse_endtag(self, i: int) -> int:
        m = None if self.cdata_elem else _PLAIN_END_TAG_RE.match(self.rawdata, i)
        if not m:
            return super().parse_endtag(i)
        self.handle_endtag(m.group(1).lower())
        self.clear_cdata_mode()  # as html.parser does after every end tag
        return m.end()

    def updatepos(self, i: int, j: int) -> int:
        return j  # getpos() is never used: skip html.parser's line and column counting

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self.in_title = not self.skip_stack  # an <svg><title> is not the page title
            return
        if tag in ("meta", "link"):
            self._meta(tag, dict(attrs))
            return
        if tag in self.skip_tags and tag not in _VOID:
            self.skip_stack.append(tag)
            return
        if tag == "h1" and not self.skip_stack:
            self.h1_seen = True
        if tag in _BLOCK and not self.skip_stack:
            self.parts.append("\n\n" if tag in _PARAGRAPH else "\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("meta", "link"):
            self._meta(tag, dict(attrs))
        elif tag in _BLOCK and not self.skip_stack:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
            return
        if self.skip_stack:
            if tag in self.skip_stack:
                # Close the innermost open element of this name (tolerates unclosed children).
                idx = len(self.skip_stack) - 1 - self.skip_stack[::-1].index(tag)
                del self.skip_stack[idx:]
            return
        if tag in _BLOCK:
            self.parts.append("\n\n" if tag in _PARAGRAPH else "\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title_parts.append(data)
        elif not self.skip_stack:
            self.parts.append(data)

    def _meta(self, tag: str, attrs: dict[str, str | None]) -> None:
        if tag == "link":
            if (attrs.get("rel") or "").lower() == "canonical" and attrs.get("href"):
                self.canonical = self.canonical or attrs["href"]
            return
        key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
        content = attrs.get("content")
        if not content:
            return
        if key == "og:url":
            self.canonical = self.canonical or content
        elif key in ("article:published_time", "datepublished", "date", "pubdate", "publishdate", "dc.date.issued"):
            self.published = self.published or content


def html_to_text(html: str) -> str:
    """The readable article text of an HTML page: title, headings, paragraphs; no scripts or page chrome.

    Canonical URL and publication time from <meta>/<link> are emitted as their own first lines
    ("تاريخ النشر: ..."), where clean_document recognises them as furniture carrying metadata.
    """
    text, parser = _run_extractor(html, _SKIP)
    if _arabic_count(text) == 0 and _arabic_count(html):
        # Badly nested chrome (an unclosed <header>) can swallow the page: keep only script/style out.
        text, parser = _run_extractor(html, frozenset({"script", "style", "noscript", "template", "svg"}))
    lines = []
    if parser.canonical and parser.canonical.startswith(("http://", "https://")):
        lines.append(parser.canonical.strip())
    if parser.published:
        lines.append("تاريخ النشر: " + parser.published.strip())
    title = _SPACES_RE.sub(" ", "".join(parser.title_parts)).strip()
    if title and not parser.h1_seen:
        lines.append(title)
    head = "\n".join(lines)
    return (head + "\n\n" + text).strip() if head else text


def _run_extractor(html: str, skip: frozenset[str]) -> tuple[str, _ArticleExtractor]:
    parser = _ArticleExtractor(skip)
    parser.feed(html)
    parser.close()
    raw = "".join(parser.parts)
    raw = _SPACES_RE.sub(" ", raw)
    raw = "\n".join(line.strip() for line in raw.split("\n"))
    return _BLANKS_RE.sub("\n\n", raw).strip(), parser
