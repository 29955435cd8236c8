"""What every API resource shares: strict pagination, CSV, model validation on writes."""

import copy
import csv
from collections.abc import Iterable
from functools import partial

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import BaseRenderer
from rest_framework.settings import api_settings


def _positive_int_param(request, name):
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1 or str(value) != raw.strip().lstrip("+"):
        raise ValidationError({name: [f"Must be a whole number of 1 or more; got {raw!r}."]})
    return value


class IdPagePaginator(Paginator):
    """Django's paginator, fetching a page of a queryset as "the rows whose id is among this page's ids".

    The ids of a deep page (OFFSET 24950) come from an index alone; only the page's own rows are
    then read and joined, instead of every row before them. Same rows, same order, same queries.
    """

    def __init__(self, object_list, per_page, *args, known_count=None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        if known_count is not None:
            self.count = known_count  # already known: no COUNT(*) over the rows

    def _get_page(self, object_list, number, paginator):
        if isinstance(object_list, QuerySet):
            object_list = self.object_list.filter(pk__in=object_list.values("pk"))
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
        # A view that knows how many rows its filters select says so (count_rows), sparing a COUNT(*).
        known_count = view.count_rows() if hasattr(view, "count_rows") else None
        self.django_paginator_class = partial(IdPagePaginator, known_count=known_count)
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound as error:
            raise NotFound({"page": [str(error.detail)]}) from None


def csv_safe(value):
    """A cell as text; a text cell that a spreadsheet would run as a formula is quoted with '."""
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


class _Echo:
    def write(self, value):
        return value


def stream_csv(filename: str, header: list[str], rows: Iterable[Iterable]) -> StreamingHttpResponse:
    """A CSV download written row by row as the rows arrive, never held whole in memory."""
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([csv_safe(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def wants_csv(request) -> bool:
    return request.query_params.get(api_settings.URL_FORMAT_OVERRIDE) == "csv"


class CSVRenderer(BaseRenderer):
    """Lets `?format=csv` through content negotiation; views answer it with stream_csv().

    What reaches this renderer is an error (a 400 on a bad filter, say), written as
    one row per message so the reason is readable whatever format was asked for.
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        lines = ["field,message"]
        items = data.items() if isinstance(data, dict) else [("detail", data)]
        for field, messages in items:
            for message in messages if isinstance(messages, list) else [messages]:
                lines.append(f'{field},"{str(message).replace(chr(34), chr(34) * 2)}"')
        return ("\n".join(lines) + "\n").encode(self.charset)


class ModelValidationMixin:
    """Runs the model's own full_clean() on writes, so the API refuses what the model refuses,
    with the same messages, before the database would."""

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        many_to_many = {field.name for field in model._meta.many_to_many}
        plain = {name: value for name, value in attrs.items() if name in self._model_fields()}
        if self.instance is not None:
            instance = copy.copy(self.instance)
            for name, value in plain.items():
                setattr(instance, name, value)
        else:
            instance = model(**plain)
        try:
            instance.full_clean(exclude=[*many_to_many, *self._unchecked_fields()])
        except DjangoValidationError as error:
            raise ValidationError(
                {
                    (api_settings.NON_FIELD_ERRORS_KEY if field == "__all__" else field): messages
                    for field, messages in error.message_dict.items()
                }
            ) from None
        return attrs

    def _model_fields(self):
        return {field.name for field in self.Meta.model._meta.concrete_fields}

    def _unchecked_fields(self):
        # Fields the API does not write (ids, timestamps) are not the caller's to fix.
        return [
            name for name in self._model_fields() if name not in self.fields or self.fields[name].read_only
        ]


class NaturalKeyRelatedField(serializers.SlugRelatedField):
    """A related object as its natural key, with an error naming the unknown key."""

    default_error_messages = {
        "does_not_exist": "Unknown {model}: {value}.",
        "invalid": "Expected a key such as a code or slug, got {kind}.",
    }

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, str | int):
            self.fail("invalid", kind=type(data).__name__)
        queryset = self.get_queryset()
        try:
            return queryset.get(**{self.slug_field: data})
        except queryset.model.DoesNotExist:
            self.fail("does_not_exist", model=queryset.model._meta.verbose_name, value=data)
        except (TypeError, ValueError):
            self.fail("does_not_exist", model=queryset.model._meta.verbose_name, value=data)


@extend_schema_field({"type": "string", "nullable": True, "readOnly": True})
class RelatedLabel(serializers.Field):
    """A related object's name ("country.name"), or null where there is no related object.

    Always present: a CharField with source="country.name" and default=None is left out of the
    response to a partial update (PATCH) when the relation is empty, which breaks the schema.
    """

    def __init__(self, path: str, **kwargs):
        relation, self.attribute_name = path.rsplit(".", 1)
        super().__init__(source=relation, read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value):
        return getattr(value, self.attribute_name)
