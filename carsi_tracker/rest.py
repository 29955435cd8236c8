"""What every API resource shares: strict pagination, CSV, model validation on writes."""

import copy
import csv
import json
import re
from collections.abc import Iterable
from functools import partial
from itertools import chain, islice

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from drf_spectacular.utils import extend_schema_field
from rest_framework import parsers, serializers
from rest_framework.exceptions import NotFound, ParseError, ValidationError
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


# What a spreadsheet reads as the start of a formula (OWASP's list, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def neutralize_formula(value):
    """A cell for a CSV or spreadsheet file: a text cell that would run as a formula is made inert
    with a leading ', as OWASP advises; numbers, and text that is just a number, are left alone.

    The one guard of every export: the API's CSV, the admin's CSV and XLSX.
    """
    if isinstance(value, str) and value[:1] in FORMULA_STARTS and not PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_cell(value):
    return "" if value is None else neutralize_formula(value)


class _Echo:
    def write(self, value):
        return value


def stream_csv(filename: str, header: list[str], rows: Iterable[Iterable]) -> StreamingHttpResponse:
    """A CSV download written row by row as the rows arrive, never held whole in memory.

    The first row is read before the answer starts: a database that fails is then a 503 (see
    carsi_tracker.middleware), not a "200 OK" file with a header and nothing under it. A failure
    later on breaks the HTTP/1.1 chunked stream, which every client reports as incomplete.
    """
    rows = iter(rows)
    first = list(islice(rows, 1))
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(header)
        for row in chain(first, rows):
            yield writer.writerow([csv_cell(value) for value in row])

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


# Numbers as the API documents them, in the digits 0-9: Python alone would also read "1e9",
# "1_000", "+5", full-width "１００" or Arabic-Indic "٢٠٠٨" as numbers.
PLAIN_INTEGER = re.compile(r"-?[0-9]+")


class PlainIntegerField(serializers.IntegerField):
    def to_internal_value(self, data):
        if isinstance(data, bool) or (isinstance(data, str) and not PLAIN_INTEGER.fullmatch(data.strip())):
            self.fail("invalid")
        return super().to_internal_value(data)


class PlainDecimalField(serializers.DecimalField):
    def to_internal_value(self, data):
        if isinstance(data, bool) or (isinstance(data, str) and not PLAIN_NUMBER.fullmatch(data.strip())):
            self.fail("invalid")
        return super().to_internal_value(data)


class ModelValidationMixin:
    """Runs the model's own full_clean() on writes, so the API refuses what the model refuses,
    with the same messages, before the database would; numbers are read in plain digits only."""

    serializer_field_mapping = serializers.ModelSerializer.serializer_field_mapping | {
        models.IntegerField: PlainIntegerField,
        models.SmallIntegerField: PlainIntegerField,
        models.BigIntegerField: PlainIntegerField,
        models.PositiveIntegerField: PlainIntegerField,
        models.PositiveSmallIntegerField: PlainIntegerField,
        models.PositiveBigIntegerField: PlainIntegerField,
        models.DecimalField: PlainDecimalField,
    }

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


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing with a 400 what would otherwise end as a 500: nesting deeper than
    Python's stack, and strings that are no text (a lone surrogate such as "\\ud800", which no
    database stores). Django refuses a body over DATA_UPLOAD_MAX_MEMORY_SIZE before this runs.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except RecursionError:
            raise ParseError("JSON parse error - the body is nested too deeply.") from None
        except UnicodeEncodeError:
            raise ParseError(
                "JSON parse error - a string holds a lone surrogate (such as \\ud800), which is no text."
            ) from None
        return data
