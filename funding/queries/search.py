"""A search of the line items, counted and paged by what finds each word: the rows a line item cites
(its country, program, donor, account or source, by name) or the line item's own texts.

"?search=Belize" at a million line items was one COUNT(*) of every line item against the texts'
ILIKE OR'd with a subquery per cited table, a condition no index serves (396 to 810 ms). Here the
few cited rows whose names hold the word are looked up first, in one query over those small tables.
The line items that cite one of them are then read along the index that leads with the citing
column, and the rest are found by the texts' trigram indexes (migration funding/0022):
- the count is of the line items citing one of them, plus those whose texts hold the word and that
  cite none of them. The two sets do not overlap, so nothing is counted twice and nothing is sorted.
- a page in the list's order (or its reverse) is the first of each cited row's line items, read in
  the order of the index, and of those the texts find, merged. No line item past the page is read.

The rows are the filter's own either way. Only the first word is split; the other words are
conditions on every part. SQLite, which takes no LIMIT inside a UNION, reads the page as the filter
writes it.
"""

from collections import defaultdict
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db import connections
from django.db.models import Q, QuerySet
from django.db.models.constants import LOOKUP_SEP
from django.db.models.expressions import RawSQL

from core.filters import rows_containing
from core.querysets import read_together
from funding.models import ORDER
from funding.queries import pages

# A page is merged from one part per cited row (and one for the texts); a word that names more
# rows than this (a country's letter, "a") is left to the filter's own query.
MOST_PARTS = 8


@dataclass
class Search:
    """The line items a search selects, split by what finds its first word."""

    selected: QuerySet  # the line items every other filter, and every other word, selects
    cited: dict[str, list[int]]  # the ids of the rows whose names hold the word, by the key citing them
    texts: list[Q]  # the word in one of the line item's own texts, or through another relation
    other_words: list[str]  # conditions in `selected`

    @classmethod
    def of(cls, filterset) -> "Search | None":
        """The search of a valid AllocationFilter; None if it has none."""
        value = filterset.form.cleaned_data.get("search")
        if not value:
            return None
        searched = filterset.filters["search"]
        selected = filterset.queryset.all()
        for name, cleaned in filterset.form.cleaned_data.items():
            if name not in ("search", "ordering"):
                selected = filterset.filters[name].filter(selected, cleaned)
        first, *others = searched.words(value)
        for word in others:
            selected = searched.filter(selected, word)
        names, texts = [], []
        for path in searched.fields:
            name, _, rest = path.partition(LOOKUP_SEP)
            field = selected.model._meta.get_field(name)
            if rest and field.many_to_one:
                names.append((name, rows_containing(field.related_model, rest, first)))
            else:
                texts.append(Q(**{f"{path}__icontains": first}))
        cited = defaultdict(set)
        # The rows each cited table names by the word (a few at most), all read in one query.
        for (name, _), rows in zip(
            names, read_together(*(rows for _, rows in names)) if names else [], strict=True
        ):
            if rows:
                cited[name].update(row.pk for row in rows)
        return cls(selected, {name: sorted(pks) for name, pks in cited.items()}, texts, others)

    @property
    def citing(self) -> Q | None:
        """The line items that cite one of the rows the word names."""
        if not self.cited:
            return None
        return reduce(or_, (Q(**{f"{name}__in": pks}) for name, pks in self.cited.items()))

    def parts(self, citing_from=None) -> list[QuerySet]:
        """The selected line items that cite a row the word names (taken from `citing_from`, a kept
        table with the other filters applied, if given), and those whose texts hold the word and that
        cite none of those rows: the two share no line item."""
        citing, parts = self.citing, []
        if citing is not None:
            parts.append((self.selected if citing_from is None else citing_from).filter(citing))
        if self.texts:
            found = self.selected.filter(reduce(or_, self.texts))
            parts.append(found if citing is None else found.exclude(citing))
        return parts

    def count(self) -> int:
        return sum(pages.counts_up_to(None, self.parts()))

    def page_keys(self, page):
        """The ids of `page`, a slice of the selected line items in the default order or its reverse;
        None for another order, where the database cannot merge the parts, or for too many parts."""
        query = page.query
        order = query.order_by or (page.model._meta.ordering if query.default_ordering else [])
        terms = [pages.order_term(term) for term in order]
        if (
            None in terms
            or [name for name, _ in terms] != list(ORDER)
            or len({down for _, down in terms}) > 1
        ):
            return None
        if not connections[page.db].features.supports_slicing_ordering_in_compound:
            return None
        parts = [self.selected.filter(**{name: pk}) for name, pks in self.cited.items() for pk in pks]
        if self.texts:
            parts.append(self.selected.filter(reduce(or_, self.texts)))
        if len(parts) > MOST_PARTS:
            return None
        if not parts:
            return []
        ordering = [("-" if down else "") + name for name, down in terms]
        low, high = query.low_mark, query.high_mark
        # The page's rows are among the first `high` of each part: merged, and duplicates dropped,
        # the page is the slice of them.
        if len(parts) == 1:
            return parts[0].order_by(*ordering).values("pk")[low:high]
        firsts = [part.order_by(*ordering).values_list(*ORDER)[:high] for part in parts]
        merged = firsts[0].union(*firsts[1:]).order_by(*ordering)[low:high]
        sql, params = merged.query.sql_with_params()
        return RawSQL(f"SELECT id FROM ({sql}) page", params)


def page_keys_of(filterset):
    """What a paginator of the filterset's line items takes as `page_keys`: the ids of a page as the
    search finds them where it can, else as funding.queries.pages reads them."""

    def keys(page):
        search = filterset.searched if filterset is not None and filterset.is_valid() else None
        found = None if search is None else search.page_keys(page)
        return pages.page_keys(page) if found is None else found

    return keys
