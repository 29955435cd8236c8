from rest_framework import serializers

from core.api.editing import VersionedSerializerMixin
from core.api.serializers import ModelValidationMixin
from sources.models import Source


class SourceSerializer(VersionedSerializerMixin, ModelValidationMixin, serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = [
            "key",
            "title",
            "publisher",
            "published",
            "url",
            "seed_reference",
            "note",
            "version",
            "change_reason",
        ]
