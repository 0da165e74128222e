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
QR_MAX_BYTES = 213  # what version 10 holds at error correction M in byte mode, the roomiest form of any URI (ISO/IEC 18004, table 7)


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
    return tuple(tuple(row) for row in code.modules)


def qr_problem(link: str) -> str | None:
    """Why a link cannot be printed as a QR code a phone reads at handout size, or None when it can."""
    data = uri(link)
    if len(data.encode()) <= QR_MAX_BYTES:  # no need to ask the encoder (nor import it)
        return None
    if _qr_code(data).calculate_version() <= QR_MAX_VERSION:  # type: ignore[no-untyped-call]  # untyped in the stubs
        return None
    return (f"the link is {len(data.encode())} characters long as a URI ('{link[:50]}{'…' if len(link) > 50 else ''}'), "
            f"more than a QR code a phone reads at this size holds")


def _qr_code(data: str) -> QRCode:
    from reportlab.graphics.barcode import qrencoder

    class Code(qrencoder.QRCode):
        """reportlab's QR code, its matrices laid out row by row as integers (the same modules, in a fraction of the time)."""

        def getBestMaskPattern(self) -> int:
            """reportlab's choice of mask (the first with the fewest penalty points), its points counted faster."""
            points = [_penalty(matrix_rows(self, True, mask)) for mask in range(8)]
            return points.index(min(points))

        def makeImpl(self, test: bool, maskPattern: int) -> None:  # noqa: N803 - reportlab's names
            """The modules of the code with this mask, as reportlab's makeImpl sets them."""
            rows = matrix_rows(self, test, maskPattern)
            self.moduleCount = len(rows)
            self.modules = [[cell == "1" for cell in row] for row in rows]

    code = Code(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(data)
    return code


def matrix_rows(code: QRCode, test: bool, mask: int) -> list[str]:
    """The rows of a code's matrix with a mask ('1' dark), as reportlab's makeImpl lays them out: its own finder, timing,
    alignment and format patterns (made once per version and mask), the data bits placed in its order and masked."""
    if code.version is None:
        code.version = code.calculate_version()  # type: ignore[no-untyped-call]  # untyped in the stubs
    version, level = code.version, code.errorCorrectLevel
    size = version * 4 + 17
    if code.dataCache is None:
        code.dataCache = _codewords(version, level, code.dataList)
    placed = code.__dict__.get("_data_rows")
    if placed is None or placed[0] != code.dataCache:
        placed = code._data_rows = (code.dataCache, _data_rows(version, code.dataCache))  # type: ignore[attr-defined]
    fixed, where, masked = _fixed_rows(version, level, test, mask), _data_places(version)[1], _mask_rows(version, mask)
    return [format((f & ~w) | (d ^ m), f"0{size}b") for f, w, d, m in zip(fixed, where, placed[1], masked)]


def _as_rows(modules: list[list[bool]]) -> tuple[int, ...]:
    return tuple(int("".join("1" if cell else "0" for cell in row), 2) for row in modules)


@lru_cache(maxsize=None)
def _fixed_rows(version: int, level: int, test: bool, mask: int) -> tuple[int, ...]:
    """Everything of a matrix but its data, set by reportlab's own steps of makeImpl, in its order."""
    from reportlab.graphics.barcode import qrencoder

    probe = qrencoder.QRCode(version, level)
    size = probe.moduleCount = version * 4 + 17
    probe.modules = [[False] * size for _ in range(size)]
    for row, col in ((0, 0), (size - 7, 0), (0, size - 7)):
        probe.setupPositionProbePattern(row, col)
    probe.setupPositionAdjustPattern()
    probe.setupTimingPattern()
    probe.setupTypeInfo(test, mask)
    if version >= 7:
        probe.setupTypeNumber(test)
    return _as_rows(probe.modules)


@lru_cache(maxsize=None)
def _data_places(version: int) -> tuple[tuple[tuple[int, int], ...], tuple[int, ...]]:
    """The (column, row) places of the data bits in reportlab's order, and each row's places as bits of an integer."""
    from reportlab.graphics.barcode import qrencoder

    probe = qrencoder.QRCode(version, qrencoder.QRErrorCorrectLevel.M)
    size = probe.moduleCount = version * 4 + 17
    places = tuple(probe.dataPosIterator())  # type: ignore[no-untyped-call]  # untyped in the stubs
    rows = [0] * size
    for col, row in places:
        rows[row] |= 1 << (size - 1 - col)
    return places, tuple(rows)


@lru_cache(maxsize=None)
def _mask_rows(version: int, mask: int) -> tuple[int, ...]:
    """A mask's dark modules at the data places of a version (reportlab's mask functions)."""
    from reportlab.graphics.barcode import qrencoder

    size = version * 4 + 17
    flips = qrencoder.QRUtil.getMask(mask)  # type: ignore[no-untyped-call]  # untyped in the stubs
    rows = [0] * size
    for col, row in _data_places(version)[0]:
        if flips(row, col):
            rows[row] |= 1 << (size - 1 - col)
    return tuple(rows)


def _data_rows(version: int, codewords: list[int]) -> list[int]:
    """The codewords' bits (each byte's highest first) at the data places, unmasked; places past the last bit stay light."""
    size = version * 4 + 17
    rows = [0] * size
    bits = "".join(f"{byte:08b}" for byte in codewords)
    for (col, row), bit in zip(_data_places(version)[0], bits):
        if bit == "1":
            rows[row] |= 1 << (size - 1 - col)
    return rows


# GF(256) with the QR code's polynomial x^8 + x^4 + x^3 + x^2 + 1: powers of 2 and their logarithms.
_EXP = [1] * 512
for _i in range(1, 512):
    _EXP[_i] = (_EXP[_i - 1] << 1) ^ (0x11D if _EXP[_i - 1] & 0x80 else 0)
_LOG = [0] * 256
for _i in range(255):
    _LOG[_EXP[_i]] = _i


@lru_cache(maxsize=None)
def _generator(degree: int) -> tuple[int, ...]:
    """The Reed–Solomon generator polynomial (x - 1)(x - 2)…(x - 2^(degree-1)), highest power first."""
    poly = [1]
    for power in range(degree):
        poly = [a ^ (_EXP[_LOG[b] + power] if b else 0) for a, b in zip(poly + [0], [0] + poly)]
    return tuple(poly)


def _error_correction(data: list[int], degree: int) -> list[int]:
    """The remainder of data·x^degree divided by the generator: the block's error-correction codewords."""
    generator = _generator(degree)[1:]
    remainder = [0] * degree
    for byte in data:
        factor = byte ^ remainder[0]
        remainder = remainder[1:] + [0]
        if factor:
            shift = _LOG[factor]
            remainder = [r ^ (_EXP[_LOG[g] + shift] if g else 0) for r, g in zip(remainder, generator)]
    return remainder


def _codewords(version: int, level: int, data_list: list[object]) -> list[int]:
    """The code's data and error-correction codewords, interleaved by block: what reportlab's createData gives."""
    from reportlab.graphics.barcode import qrencoder

    blocks = qrencoder.QRRSBlock.getRSBlocks(version, level)  # type: ignore[no-untyped-call]  # untyped in the stubs
    capacity = 8 * sum(block.dataCount for block in blocks)
    buffer = qrencoder.QRBitBuffer()
    for data in data_list:
        data.write(buffer, version)  # type: ignore[attr-defined]  # a reportlab data segment
    if buffer.getLengthInBits() > capacity:  # type: ignore[no-untyped-call]
        raise ValueError(f"code length overflow ({buffer.getLengthInBits()} > {capacity})")  # type: ignore[no-untyped-call]
    if buffer.getLengthInBits() + 4 <= capacity:  # type: ignore[no-untyped-call]
        buffer.put(0, 4)  # the terminator
    while buffer.getLengthInBits() % 8:  # type: ignore[no-untyped-call]
        buffer.putBit(False)
    filler = 0
    while buffer.getLengthInBits() < capacity:  # type: ignore[no-untyped-call]
        buffer.put((0xEC, 0x11)[filler % 2], 8)  # the pad bytes, in turn
        filler += 1
    codewords: list[int] = buffer.buffer
    data_blocks, ec_blocks, start = [], [], 0
    for block in blocks:
        data_blocks.append(codewords[start:start + block.dataCount])
        ec_blocks.append(_error_correction(data_blocks[-1], block.totalCount - block.dataCount))
        start += block.dataCount
    out = []
    for group in (data_blocks, ec_blocks):
        for i in range(max(len(b) for b in group)):
            out += [b[i] for b in group if i < len(b)]
    return out


_RUN = re.compile(r"0{5,}|1{5,}")
_FINDER = "10111010000"


def penalty(modules: list[list[bool]]) -> int:
    """The penalty points of a QR matrix exactly as reportlab's QRUtil.getLostPoint counts them, with strings and integers
    in place of its loops over modules (a sixth of the time): the same mask is chosen, so the same code is printed."""
    return _penalty(["".join("1" if cell else "0" for cell in row) for row in modules])


def _penalty(rows: list[str]) -> int:
    """penalty() of a matrix given as rows of '0' and '1'."""
    n = len(rows)
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
