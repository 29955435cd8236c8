"""The dimensions line items can be grouped by, and the one GROUP BY that totals them."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Dimension:
    name: str
    key_path: str  # the column that identifies the group
    label_path: str | None = None  # the column with a readable label, if any
    none_label: str = ""  # what a line item without this dimension is called
    sort_by_label: bool = True  # countries by name; objectives by number

    @property
    def label_name(self):
        return f"{self.name}_name" if self.label_path else None

    @property
    def paths(self):
        return [self.key_path, self.label_path] if self.label_path else [self.key_path]


DIMENSIONS = {
    dimension.name: dimension
    for dimension in [
        Dimension("fiscal_year", "fiscal_year"),
        Dimension("stage", "stage"),
        Dimension("country", "country__iso2", "country__name", "Regional / no country"),
        Dimension("donor", "donor__slug", "donor__name"),
        Dimension("account", "account__code", "account__name", "No account"),
        Dimension(
            "objective", "objective__number", "objective__short_name", "No objective", sort_by_label=False
        ),
        Dimension("program", "program__slug", "program__name", "No program"),
        Dimension("source", "source__key", "source__title"),
    ]
}


def parse_group_by(value: str | list[str]) -> list[str]:
    """'fiscal_year,country' → ['fiscal_year', 'country']; raises ValueError naming what is unknown."""
    names = value.split(",") if isinstance(value, str) else list(value)
    names = [name.strip() for name in names if name.strip()]
    unknown = [name for name in names if name not in DIMENSIONS]
    if unknown:
        raise ValueError(
            f"Unknown group_by dimension(s): {', '.join(unknown)}. Choose from: {', '.join(DIMENSIONS)}."
        )
    return list(dict.fromkeys(names))
