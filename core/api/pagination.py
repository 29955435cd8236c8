"""Pages of a list: strict parameters, and deep pages read through the index."""

from functools import partial

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination


def _positive_int_param(request, name):
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1 or str(value) != raw.strip().lstrip("+"):
        raise ValidationError(
            {name: [_("Must be a whole number of 1 or more; got %(value)r.") % {"value": raw}]}
        )
    return value


class IdPagePaginator(Paginator):
    """Django's paginator, fetching a page of a queryset as "the rows whose id is among this page's ids".

    The ids of a deep page (OFFSET 24950) come from an index alone; only the page's own rows are
    then read and joined, instead of every row before them. Same rows, same order, same queries.
    `page_keys(page)`, if given, says which ids a slice of the queryset holds when it knows a faster
    way to them than the database's (a list, or a subquery); `with_related(rows)`, what else the
    page's rows need, read once for them all (the rows they name).
    """

    def __init__(
        self, object_list, per_page, *args, known_count=None, page_keys=None, with_related=None, **kwargs
    ):
        super().__init__(object_list, per_page, *args, **kwargs)
        if known_count is not None:
            self.count = known_count  # already known: no COUNT(*) over the rows
        self.page_keys, self.with_related = page_keys, with_related

    def _get_page(self, object_list, number, paginator):
        if isinstance(object_list, QuerySet):
            keys = self.page_keys(object_list) if self.page_keys else object_list.values("pk")
            object_list = self.object_list.filter(pk__in=keys)
            if self.with_related:
                object_list = self.with_related(list(object_list))
        return super()._get_page(object_list, number, paginator)


class Pagination(PageNumberPagination):
    """Pages of `page_size` rows (50 unless asked, at most 1000); bad values are a 400, not a shrug."""

    django_paginator_class = IdPagePaginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 1000

    def get_page_size(self, request):
        asked = _positive_int_param(request, self.page_size_query_param)
        return self.page_size if asked is None else min(asked, self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        _positive_int_param(request, self.page_query_param)
        # A view that knows how many rows its filters select says so (count_rows), sparing a COUNT(*);
        # one that knows a faster way to a page's ids, or what else its rows need, gives it.
        known_count = view.count_rows() if hasattr(view, "count_rows") else None
        self.django_paginator_class = partial(
            IdPagePaginator,
            known_count=known_count,
            page_keys=getattr(view, "page_keys", None),
            with_related=getattr(view, "with_related", None),
        )
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound as error:
            raise NotFound({"page": [str(error.detail)]}) from None
