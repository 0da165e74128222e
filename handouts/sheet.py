"""What a layout is given: one handout, for one brand, in one language, maybe for one patient."""

from __future__ import annotations


from reportlab.lib.pagesizes import A4, LETTER

from .brand import Brand
from .compiled import dataclass
from .content import Handout
from .fonts import Family
from .i18n import Strings
from .images import Picture
from .patient import Patient

PAGE_SIZES = {"letter": LETTER, "a4": A4}


@dataclass(frozen=True)
class Sheet:
    """The inputs of one PDF, validated."""

    handout: Handout
    brand: Brand
    strings: Strings
    family: Family
    settings: dict[str, str]
    logo: Picture | None
    page_size: str
    patient: Patient | None = None
    fillable: bool = False
    grayscale: bool = False
    tagged: bool = True  # a tagged PDF (PDF/UA-1); False only to measure what tagging costs

    @property
    def web_address(self) -> str | None:
        """The address of this handout's web copy when the brand hosts its copies (the generic copy, for every patient)."""
        handout = self.handout
        return self.brand.web_address(handout.treatment_slug, handout.kind, handout.language)

    @property
    def kind_label(self) -> str:
        """'Aftercare', 'Antes de su tratamiento', …"""
        return self.strings.kinds[self.handout.kind]

    @property
    def revision(self) -> str:
        """The revision line printed in every footer: the date of the approval of exactly this text, or 'draft'."""
        return revision_line(self.handout, self.settings, self.strings)

    @property
    def pagesize(self) -> tuple[float, float]:
        """Page width and height in points."""
        return PAGE_SIZES[self.page_size]


def revision_line(handout: Handout, settings: dict[str, str], strings: Strings) -> str:
    """A handout's revision line: the date of the approval of exactly this text (with these settings), or 'draft'."""
    from .approval import approval_for

    approval = approval_for(handout, settings)
    if approval is not None:
        return strings.revision.format(version=handout.version, reviewed=approval.date)
    if handout.record is None and handout.typed_reviewed and not handout.approvals_required:
        return strings.revision.format(version=handout.version, reviewed=handout.typed_reviewed)
    if handout.translation is not None:
        return strings.unreviewed.format(version=handout.version)  # a translation no clinician has reviewed yet
    return strings.draft.format(version=handout.version)
