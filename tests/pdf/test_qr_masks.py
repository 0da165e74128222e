"""The QR codes printed are reportlab's own: the faster count of penalty points picks the same mask for every link."""

from __future__ import annotations

import random

from reportlab.graphics.barcode import qrencoder

from handouts import links


def _reportlab_modules(data: str) -> tuple[tuple[bool, ...], ...]:
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(data)
    code.make()
    return tuple(tuple(bool(cell) for cell in row) for row in code.modules)


def test_every_link_gives_the_code_reportlab_gives() -> None:
    chosen = random.Random(18)
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/?=&%#"
    found_masks = set()
    for length in list(range(1, links.QR_MAX_BYTES - 18, 3)) * 2:  # every version a handout prints, 1 to 10
        link = "https://" + "".join(chosen.choice(alphabet) for _ in range(length))
        assert links.qr_modules(link) == _reportlab_modules(link), link
        trial = links._qr_code(link)
        trial.version = trial.calculate_version()
        found_masks.add(trial.getBestMaskPattern())
    assert len(found_masks) == 8  # every mask was the best for some link: each branch of the count is exercised


def test_the_penalty_is_reportlabs_for_every_mask() -> None:
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData("https://lumen.example.com/copies/microneedling-aftercare.en.html")
    code.version = code.calculate_version()
    for mask in range(8):
        code.makeImpl(True, mask)
        assert links.penalty(code.modules) == qrencoder.QRUtil.getLostPoint(code)
