"""Every query parameter is one the endpoint knows: a typo (?contry=GT) is a 400 that names it and
lists the accepted ones, never a silently unfiltered answer."""

from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError

# Read by every endpoint, whatever its filters: the format, a release, and a download's header
# language and byte-order mark.
EVERYWHERE = {"format", "release", "lang", "bom"}


def refuse_unknown(request, known) -> None:
    """A 400 naming each query parameter not in `known` (and EVERYWHERE)."""
    accepted = set(known) | EVERYWHERE
    unknown = [name for name in request.query_params if name not in accepted]
    if unknown:
        listing = ", ".join(sorted(accepted))
        raise ValidationError(
            {
                name: [_("Unknown parameter. The accepted ones are: %(names)s.") % {"names": listing}]
                for name in unknown
            }
        )


def known_parameters(view, request, queryset=None) -> set[str]:
    """What a view's query string may hold: its filters, its paginator's parameters, and what the view
    declares besides (`extra_query_parameters`, e.g. the totals' group_by)."""
    known = set(getattr(view, "extra_query_parameters", ()))
    filterset_class = DjangoFilterBackend().get_filterset_class(view, queryset)
    if filterset_class is not None:
        known |= set(filterset_class.base_filters)
    paginator = getattr(view, "paginator", None)
    if paginator is not None:
        known |= {
            name
            for name in (
                getattr(paginator, "page_query_param", None),
                getattr(paginator, "page_size_query_param", None),
            )
            if name
        }
    return known


class KnownParameters:
    """A filter backend that filters nothing: it refuses a query string with an unknown parameter."""

    def filter_queryset(self, request, queryset, view):
        refuse_unknown(request, known_parameters(view, request, queryset))
        return queryset

    # It adds no parameter of its own to the schema.
    def get_schema_fields(self, view):
        return []

    def get_schema_operation_parameters(self, view):
        return []
