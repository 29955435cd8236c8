"""GET /api/v1/releases/ and their bundles; GET /api/v1/changes/?since=…"""

from datetime import UTC, datetime, time

from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.pagination import _positive_int_param
from core.api.parameters import refuse_unknown
from releases import changes
from releases.models import Release

MAX_PAGE_SIZE = 1000


class ReleaseSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField(
        help_text="The release's zip: a CSV per table and a datapackage.json."
    )

    class Meta:
        model = Release
        fields = ["name", "number", "published_at", "note", "sha256", "download_url"]

    def get_download_url(self, release) -> str:
        return self.context["request"].build_absolute_uri(reverse("api-release-bundle", args=[release.name]))


class ReleaseViewSet(viewsets.ReadOnlyModelViewSet):
    """Published releases, newest first: each is the data as it stood when it was published, and
    `?release=<name>` asks any endpoint or page that question."""

    queryset = Release.objects.defer("bundle")
    serializer_class = ReleaseSerializer
    lookup_field = "name"
    lookup_value_regex = r"[0-9]{4}-[0-9]{2}-[0-9]{2}\.[0-9]+"


@extend_schema(
    responses={
        (200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY, description="The release's bundle."),
        (404, "application/json"): OpenApiResponse(description="No release of that name."),
    },
    operation_id="release_bundle",
    summary="Download a release's bundle (ZIP)",
)
@api_view(["GET"])
@permission_classes([AllowAny])
def release_bundle(request, name):
    """A release's bundle: a CSV per table and a datapackage.json, the same bytes on every download
    (their SHA-256 is the release's `sha256`)."""
    release = Release.objects.filter(name=name).first()
    if release is None:
        return Response(
            {"detail": _("No release %(name)s; see /api/v1/releases/.") % {"name": name}}, status=404
        )
    response = HttpResponse(bytes(release.bundle), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="carsi-tracker-{release.name}.zip"'
    response["ETag"] = f'"{release.sha256}"'
    # A release never changes: its bundle may be kept for good.
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


def parse_since(raw: str | None) -> changes.Since:
    """A release name, or an ISO 8601 date or time (UTC unless it says otherwise)."""
    if raw is None or raw == "":
        return changes.Since()
    release = Release.objects.filter(name=raw).defer("bundle").first()
    if release is not None:
        return changes.Since(release=release)
    moment = parse_datetime(raw)
    if moment is None and parse_date(raw) is not None:
        moment = datetime.combine(parse_date(raw), time.min)
    if moment is None:
        raise ValidationError(
            {
                "since": [
                    _(
                        "Give a release name (such as 2026-12-01.1) or an ISO 8601 date or time; "
                        "got %(value)r."
                    )
                    % {"value": raw}
                ]
            }
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, UTC)
    return changes.Since(moment=moment)


def parse_kinds(raw: str | None) -> list[changes.Kind]:
    known = changes.kinds()
    if not raw:
        return list(known.values())
    asked = [part.strip() for part in raw.split(",") if part.strip()]
    unknown = [part for part in asked if part not in known]
    if unknown:
        raise ValidationError(
            {
                "kind": [
                    _("Unknown kind(s): %(unknown)s. Choose from: %(known)s.")
                    % {"unknown": ", ".join(unknown), "known": ", ".join(known)}
                ]
            }
        )
    return [known[part] for part in dict.fromkeys(asked)]


class ChangeFieldSerializer(serializers.Serializer):
    field = serializers.CharField()
    old = serializers.JSONField(allow_null=True)
    new = serializers.JSONField(allow_null=True)


class ChangeSerializer(serializers.Serializer):
    kind = serializers.CharField(source="kind.slug")
    key = serializers.CharField(help_text="The row's key: a slug, code or key, or a line item's id.")
    history_id = serializers.IntegerField()
    type = serializers.ChoiceField(choices=["created", "changed", "deleted"])
    date = serializers.DateTimeField()
    user = serializers.CharField(allow_null=True, help_text="Shown to the tracker's staff only.")
    reason = serializers.CharField(allow_blank=True)
    release = serializers.CharField(
        allow_null=True, help_text="The first release that holds it; null: none yet."
    )
    changes = ChangeFieldSerializer(many=True)


class ChangePageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ChangeSerializer(many=True)


class ChangesView(APIView):
    """Every change since a release (what it does not hold) or a moment, oldest first, across line
    items, reported figures, sources, programs, disagreements and every other kind of row."""

    permission_classes = [AllowAny]  # read only: the change log is public (who made a change: staff only)
    http_method_names = ["get", "head", "options"]

    @extend_schema(
        summary="What changed since a release or a moment",
        parameters=[
            OpenApiParameter(
                "since", OpenApiTypes.STR, description="A release name, or an ISO 8601 date or time."
            ),
            OpenApiParameter(
                "kind", OpenApiTypes.STR, description="Kinds of row, comma-separated: line-item, …"
            ),
            OpenApiParameter("page", OpenApiTypes.INT),
            OpenApiParameter(
                "page_size", OpenApiTypes.INT, description=f"At most {MAX_PAGE_SIZE}; 50 unless asked."
            ),
        ],
        responses={200: ChangePageSerializer},
    )
    def get(self, request):
        refuse_unknown(request, {"since", "kind", "page", "page_size"})
        since = parse_since(request.query_params.get("since"))
        selected = parse_kinds(request.query_params.get("kind"))
        page_number = _positive_int_param(request, "page") or 1
        size = min(_positive_int_param(request, "page_size") or 50, MAX_PAGE_SIZE)
        total = changes.count(selected, since)
        if page_number > 1 and (page_number - 1) * size >= total:
            raise ValidationError(
                {
                    "page": [
                        _("There is no page %(page)s: %(total)s changes, %(size)s a page.")
                        % {"page": page_number, "total": total, "size": size}
                    ]
                }
            )
        results = changes.page(
            selected, since, (page_number - 1) * size, size, show_users=request.user.is_staff
        )

        def link(number):
            query = request.query_params.copy()
            query["page"] = number
            return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

        return Response(
            {
                "count": total,
                "next": link(page_number + 1) if page_number * size < total else None,
                "previous": link(page_number - 1) if page_number > 1 else None,
                "results": ChangeSerializer(results, many=True).data,
            }
        )
