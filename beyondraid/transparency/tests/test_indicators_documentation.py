"""docs/indicators.md gives every indicator's definition exactly as the registry has it, so the
documentation cannot drift from what is computed."""

from django.conf import settings

from beyondraid.transparency.indicators import INDICATORS


def test_every_definition_in_the_registry_is_documented_word_for_word():
    documentation = (settings.REPO_DIR / "docs" / "indicators.md").read_text(encoding="utf-8")
    missing = [
        f"{indicator.code}: {line}"
        for indicator in INDICATORS
        for line in (
            f"#### {indicator.title} (`{indicator.code}`)",
            f"- **Kind:** {indicator.kind_label}",
            f"- **Numerator:** {indicator.numerator}",
            f"- **Denominator:** {indicator.denominator or 'None (not a ratio).'}",
            f"- **Source:** {indicator.source_title} (cited as {indicator.source})",
            *([f"- **Note:** {indicator.note}"] if indicator.note else []),
        )
        if line not in documentation
    ]
    assert missing == [], "docs/indicators.md is out of date:\n" + "\n".join(missing)
