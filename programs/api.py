from rest_framework import viewsets

from core.api.editing import HistoryMixin, VersionedEditMixin, WriteMixin
from programs.filters import ProgramFilter
from programs.models import Objective, Program
from programs.serializers import ObjectiveSerializer, ProgramSerializer


class ObjectiveViewSet(WriteMixin, viewsets.ModelViewSet):
    queryset = Objective.objects.all()
    serializer_class = ObjectiveSerializer
    lookup_field = "number"
    lookup_value_regex = "[0-9]+"


class ProgramViewSet(HistoryMixin, VersionedEditMixin, viewsets.ModelViewSet):
    queryset = Program.objects.for_listing()
    serializer_class = ProgramSerializer
    filterset_class = ProgramFilter
    lookup_field = "slug"
