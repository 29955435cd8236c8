"""The header row of the CSV downloads in the reader's language (`?lang=es`).

Only the header changes: the same columns in the same order, and every cell the same bytes in either
language (codes, amounts, and the English texts of the data), so a script reads either file alike.
Each Spanish column name is a translation of the English one in the catalog (context "CSV column").
"""

from django.utils.translation import override, pgettext_lazy

COLUMN_TITLES = {
    "id": pgettext_lazy("CSV column", "id"),
    "fiscal_year": pgettext_lazy("CSV column", "fiscal_year"),
    "stage": pgettext_lazy("CSV column", "stage"),
    "stage_name": pgettext_lazy("CSV column", "stage_name"),
    "fiscal_year_basis": pgettext_lazy("CSV column", "fiscal_year_basis"),
    "fiscal_year_basis_name": pgettext_lazy("CSV column", "fiscal_year_basis_name"),
    "amount": pgettext_lazy("CSV column", "amount"),
    "count": pgettext_lazy("CSV column", "count"),
    "donor": pgettext_lazy("CSV column", "donor"),
    "donor_name": pgettext_lazy("CSV column", "donor_name"),
    "agency": pgettext_lazy("CSV column", "agency"),
    "agency_name": pgettext_lazy("CSV column", "agency_name"),
    "account": pgettext_lazy("CSV column", "account"),
    "account_name": pgettext_lazy("CSV column", "account_name"),
    "country": pgettext_lazy("CSV column", "country"),
    "country_name": pgettext_lazy("CSV column", "country_name"),
    "objective": pgettext_lazy("CSV column", "objective"),
    "objective_name": pgettext_lazy("CSV column", "objective_name"),
    "program": pgettext_lazy("CSV column", "program"),
    "program_name": pgettext_lazy("CSV column", "program_name"),
    "source": pgettext_lazy("CSV column", "source"),
    "source_title": pgettext_lazy("CSV column", "source_title"),
    "source_name": pgettext_lazy("CSV column", "source_name"),
    "source_detail": pgettext_lazy("CSV column", "source_detail"),
    "grade": pgettext_lazy("CSV column", "grade"),
    "note": pgettext_lazy("CSV column", "note"),
    "appropriation_year": pgettext_lazy("CSV column", "appropriation_year"),
    "as_of": pgettext_lazy("CSV column", "as_of"),
    "key": pgettext_lazy("CSV column", "key"),
    "label": pgettext_lazy("CSV column", "label"),
    "reported_amount": pgettext_lazy("CSV column", "reported_amount"),
    "qualifier": pgettext_lazy("CSV column", "qualifier"),
    "scope": pgettext_lazy("CSV column", "scope"),
    "fiscal_year_min": pgettext_lazy("CSV column", "fiscal_year_min"),
    "fiscal_year_max": pgettext_lazy("CSV column", "fiscal_year_max"),
    "citations": pgettext_lazy("CSV column", "citations"),
    "line_item_sum": pgettext_lazy("CSV column", "line_item_sum"),
    "line_item_count": pgettext_lazy("CSV column", "line_item_count"),
    "difference": pgettext_lazy("CSV column", "difference"),
    "difference_pct": pgettext_lazy("CSV column", "difference_pct"),
    "verdict": pgettext_lazy("CSV column", "verdict"),
    "other_requested": pgettext_lazy("CSV column", "other_requested"),
    "other_committed": pgettext_lazy("CSV column", "other_committed"),
    "other_appropriated": pgettext_lazy("CSV column", "other_appropriated"),
    "other_allocated": pgettext_lazy("CSV column", "other_allocated"),
    "other_obligated": pgettext_lazy("CSV column", "other_obligated"),
    "other_disbursed": pgettext_lazy("CSV column", "other_disbursed"),
    "explanation": pgettext_lazy("CSV column", "explanation"),
    "coverage_notes": pgettext_lazy("CSV column", "coverage_notes"),
    "line_items_as_of": pgettext_lazy("CSV column", "line_items_as_of"),
    "disagreements": pgettext_lazy("CSV column", "disagreements"),
    "line_items_url": pgettext_lazy("CSV column", "line_items_url"),
    "title": pgettext_lazy("CSV column", "title"),
    "status": pgettext_lazy("CSV column", "status"),
    "side": pgettext_lazy("CSV column", "side"),
    "figure": pgettext_lazy("CSV column", "figure"),
    "explanations": pgettext_lazy("CSV column", "explanations"),
    "total": pgettext_lazy("CSV column", "total"),
    "field": pgettext_lazy("CSV column", "field"),
    "message": pgettext_lazy("CSV column", "message"),
}


def header_in(language: str, header: list[str]) -> list[str]:
    """The header row as it reads in `language`; a column without a translation keeps its name."""
    with override(language):
        return [str(COLUMN_TITLES[name]) if name in COLUMN_TITLES else name for name in header]
