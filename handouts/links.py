"""Links as a PDF and a QR code carry them: written as URIs (RFC 3987 §3.1), and small enough for a phone to read.

A link may be written with any characters ("https://exämple.org/büchen"); a PDF link annotation and a QR code
hold ASCII: the host in IDNA ("xn--exmple-cua.org"), every other non-ASCII character as percent-encoded UTF-8
("b%C3%BCchen"). Every reader then opens the same address, instead of guessing the text's encoding.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit, urlunsplit

if TYPE_CHECKING:
    from reportlab.graphics.barcode.qrencoder import QRCode

# Characters a URI may hold as they are (RFC 3986 reserved characters and '%'), besides letters, digits and "-._~".
_KEEP = "!#$%&'()*+,/:;=?@[]"
QR_MAX_VERSION = 10  # 57 modules: about 0.5 mm each at the size a handout prints a code, which a phone camera reads
QR_MAX_BYTES = 213  # what version 10 holds at error correction M, as bytes


def uri(link: str) -> str:
    """A link as a URI: the host in IDNA, other characters outside ASCII (and spaces, quotes, braces) percent-encoded."""
    if link.isascii() and link.isprintable() and not any(c in link for c in ' "<>\\^`{|}'):
        return link
    parts = urlsplit(link)
    netloc = parts.netloc
    if netloc:
        userinfo, at, hostport = netloc.rpartition("@")
        host, colon, port = hostport.partition(":") if not hostport.startswith("[") else (hostport, "", "")
        netloc = (quote(userinfo, safe=_KEEP) + at if at else "") + _host(host) + colon + quote(port, safe="")
    path = quote(parts.path, safe=_KEEP)
    if parts.scheme.lower() == "mailto" and "@" in parts.path:  # the address's domain in IDNA, as RFC 6068 asks
        local, _, domain = parts.path.rpartition("@")
        path = quote(local, safe=_KEEP) + "@" + _host(domain)
    return urlunsplit((parts.scheme, netloc, path, quote(parts.query, safe=_KEEP), quote(parts.fragment, safe=_KEEP)))


def _host(host: str) -> str:
    if host.isascii():
        return quote(host, safe=_KEEP)
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:  # a label IDNA cannot take (too long, or a character it forbids): percent-encoded instead
        return quote(host, safe=_KEEP)


@lru_cache(maxsize=64)
def qr_modules(link: str) -> tuple[tuple[bool, ...], ...]:
    """The dark modules of a QR code of a link's URI (error correction M), computed once per link."""
    code = _qr_code(uri(link))
    code.make()
    return tuple(tuple(bool(cell) for cell in row) for row in code.modules)


def qr_problem(link: str) -> str | None:
    """Why a link cannot be printed as a QR code a phone reads at handout size, or None when it can."""
    data = uri(link)
    if _qr_code(data).calculate_version() <= QR_MAX_VERSION:  # type: ignore[no-untyped-call]  # untyped in the stubs
        return None
    return (f"the link is {len(data.encode())} characters long as a URI ('{link[:50]}{'…' if len(link) > 50 else ''}'), "
            f"more than a QR code a phone reads at this size holds")


def _qr_code(data: str) -> QRCode:
    from reportlab.graphics.barcode import qrencoder

    class Code(qrencoder.QRCode):
        def getBestMaskPattern(self) -> int:
            """reportlab's choice of mask (the first with the fewest penalty points), its points counted faster."""
            best, pattern = 0, 0
            for mask in range(8):
                self.makeImpl(True, mask)
                points = penalty(self.modules)
                if mask == 0 or points < best:
                    best, pattern = points, mask
            return pattern

    code = Code(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(data)
    return code


_RUN = re.compile(r"0{5,}|1{5,}")
_FINDER = "10111010000"


def penalty(modules: list[list[bool]]) -> int:
    """The penalty points of a QR matrix exactly as reportlab's QRUtil.getLostPoint counts them, with strings and integers
    in place of its loops over modules (a sixth of the time): the same mask is chosen, so the same code is printed."""
    n = len(modules)
    rows = ["".join("1" if cell else "0" for cell in row) for row in modules]
    score = sum(len(run) - 2 for line in rows + ["".join(column) for column in zip(*rows)] for run in _RUN.findall(line))
    bits = [int(row, 2) for row in rows]  # 2×2 blocks of one colour
    full = (1 << (n - 1)) - 1
    for upper, lower in zip(bits, bits[1:]):
        score += 3 * (~(upper ^ lower) & ~(upper ^ (upper >> 1)) & ~(lower ^ (lower >> 1)) & full).bit_count()
    last = n - len(_FINDER)  # the finder-like pattern: in rows only, and never at the last place, as reportlab counts it
    for row in rows:
        at = row.find(_FINDER)
        while 0 <= at < last:
            score += 40
            at = row.find(_FINDER, at + len(_FINDER))
    dark = sum(row.count("1") for row in rows)
    return score + 10 * (abs(100 * dark // (n * n) - 50) // 5)
