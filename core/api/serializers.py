"""What every API serializer shares: the model's own validation, natural keys, plain-digit numbers."""

import copy
import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.settings import api_settings

from core.spreadsheets import PLAIN_NUMBER

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

    def __init__(self, **kwargs):
        # Named by its model's natural key (core.models.NaturalKeyModel) unless told otherwise.
        if "slug_field" not in kwargs and "queryset" in kwargs:
            kwargs["slug_field"] = kwargs["queryset"].model.NATURAL_KEY
        super().__init__(**kwargs)

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
