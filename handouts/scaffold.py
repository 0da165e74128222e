"""`new-brand SLUG`: a brand kit that builds at once and passes `check`, with every field explained."""

from __future__ import annotations

import json
import re
from pathlib import Path

from .errors import HandoutsError, UsageError

TEMPLATE = """\
# yaml-language-server: $schema=../../../schemas/brand.schema.json
# Brand kit for {name}. Every value is text: keep the quotes around colours and numbers.

# The clinic's name, printed in the header of every sheet.
name: {name_yaml}
# Start from the neutral default kit: anything not set here is taken from it.
extends: {base}
# A logo beside this file: SVG (kept sharp at any size), PNG or JPEG (at least 240 px wide).
logo: logo.svg
# primary: header band and headings (white text must stay readable on it);
# accent: a light tint behind boxes; text: body text. `check` tests their contrast.
colors: {{primary: "#2E4A62", accent: "#EDF2F6", text: "#1B1B1B"}}
# Printed in the contact box and the footer of every sheet.
contact:
  phone: "(555) 010-0123"
  after_hours: "(555) 010-0124"
  email: care@example.org
  website: https://example.org
  address: 1 Example Street
# Where the booking QR code leads (https only).
booking_url: https://example.org/book
# One line at the foot of every page, and a short disclaimer under it.
footer: {footer_yaml}
disclaimer: This sheet does not replace advice from your provider.
# letter or a4.
page_size: letter
# The languages this clinic prints.
languages: [en, es]
# Clinic values that replace a treatment's defaults, e.g. makeup_wait_hours: "48".
settings: {{}}
"""

LOGO = """\
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">
  <rect x="4" y="4" width="92" height="92" rx="22" fill="#2E4A62"/>
  <circle cx="50" cy="50" r="22" fill="none" stroke="#EDF2F6" stroke-width="9"/>
</svg>
"""


def new_brand(content: Path, slug: str, name: str | None = None) -> Path:
    """Create brands/SLUG/ with a commented brand.yaml and a placeholder SVG logo; return the brand.yaml path."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,40}", slug):
        raise UsageError(f"brand name '{slug}' is not usable (expected lower-case letters, digits, '-' and '_', e.g. northside)")
    folder = content / "brands" / slug
    if folder.exists():
        raise UsageError(f"{folder} already exists (expected a new brand name)")
    base = "default" if (content / "brands" / "default" / "brand.yaml").is_file() else None
    if base is None:
        raise HandoutsError(f"{content / 'brands' / 'default'}: there is no default brand to extend (expected brands/default/brand.yaml)")
    title = name or slug.replace("-", " ").replace("_", " ").title()
    folder.mkdir(parents=True)
    (folder / "logo.svg").write_text(LOGO, encoding="utf-8")
    path = folder / "brand.yaml"
    body = TEMPLATE.format(name=title, name_yaml=json.dumps(title, ensure_ascii=False), base=base,
                           footer_yaml=json.dumps(f"{title} · Patient information", ensure_ascii=False))
    path.write_text(body, encoding="utf-8")
    return path
