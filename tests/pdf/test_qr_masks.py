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
    assert len(found_masks) == 8  # every mask was the best for some link


def test_the_penalty_is_reportlabs_for_every_mask_of_every_version() -> None:
    chosen = random.Random(14)
    checked = ties = 0
    for length in range(1, links.QR_MAX_BYTES - 8, 2):
        data = "".join(chosen.choice("abcdefghijklmnopqrstuvwxyz0123456789/") for _ in range(length))
        code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
        code.addData(data)
        code.version = code.calculate_version()
        points = []
        for mask in range(8):
            code.makeImpl(True, mask)
            points.append(links.penalty(code.modules))
            assert points[-1] == qrencoder.QRUtil.getLostPoint(code), (length, mask)
            checked += 1
        ties += points.count(min(points)) > 1
        ours = links._qr_code(data)
        ours.version = ours.calculate_version()
        assert ours.getBestMaskPattern() == points.index(min(points)), length
    assert checked > 800 and ties  # some codes have two best masks: the first one is taken, as reportlab takes it


def test_the_finder_like_pattern_is_counted_where_reportlab_counts_it() -> None:
    from types import SimpleNamespace

    pattern = [c == "1" for c in "10111010000"]
    for at in range(0, 11):  # in every place of a 21-module row, the last one included (reportlab skips it)
        rows = [[False] * 21 for _ in range(21)]
        for r in range(0, 21, 2):
            rows[r][at:at + 11] = pattern
        assert links.penalty(rows) == qrencoder.QRUtil.getLostPoint(SimpleNamespace(modules=rows)), at


def test_every_matrix_is_reportlabs_for_every_mask_of_every_version() -> None:
    chosen = random.Random(10)
    versions = set()
    for length in range(1, links.QR_MAX_BYTES, 7):
        data = "".join(chosen.choice("abcdefghijklmnopqrstuvwxyz0123456789/:.-é") for _ in range(length))
        theirs = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
        theirs.addData(data)
        theirs.version = theirs.calculate_version()
        ours = links._qr_code(data)
        for test in (True, False):
            for mask in range(8):
                theirs.makeImpl(test, mask)
                rows = links.matrix_rows(ours, test, mask)
                assert rows == ["".join("1" if cell else "0" for cell in row) for row in theirs.modules], (length, test, mask)
        assert ours.dataCache == theirs.dataCache, length
        versions.add(theirs.version)
    assert versions >= set(range(1, links.QR_MAX_VERSION + 1))
