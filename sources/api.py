from rest_framework import viewsets

from core.api.editing import HistoryMixin, VersionedEditMixin
from sources.models import Source
from sources.serializers import SourceSerializer


class SourceViewSet(HistoryMixin, VersionedEditMixin, viewsets.ModelViewSet):
    queryset = Source.objects.all()
    serializer_class = SourceSerializer
    lookup_field = "key"
