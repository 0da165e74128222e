"""A PDF checked against PDF/UA-1's machine-checkable rules with page-validation, a validator that follows the veraPDF
test corpus. It is an optional dependency (`pip install 'handouts[pdfua]'`), used by `check --pdfua` and the tests."""

from __future__ import annotations


from .compiled import dataclass
from .errors import UsageError

INSTALL = "pip install 'handouts[pdfua]' (or pip install page-validation)"


@dataclass(frozen=True)
class Failure:
    """One PDF/UA-1 rule a PDF fails."""

    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.message}"


def require() -> None:
    """Raise UsageError, saying how to install it, when the validator is not installed."""
    try:
        import page  # noqa: F401
    except ImportError:
        raise UsageError(f"--pdfua needs the PDF/UA validator page-validation: {INSTALL}") from None


def validator() -> str:
    """The validator and its version ('page-validation 0.11.0'): its rules change from version to version."""
    from importlib.metadata import version

    return f"page-validation {version('page-validation')}"


def failures(data: bytes) -> list[Failure]:
    """Every PDF/UA-1 rule the PDF fails, each once, in rule order (none for a conformant PDF)."""
    import page

    result = page.validate_pdf_bytes(data, profile="ua1")
    found = {(f.rule_id, f.message) for f in result.failures}
    return [Failure(rule, message) for rule, message in sorted(found)]
