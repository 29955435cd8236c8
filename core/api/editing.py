"""API edits that lose nothing: versioned updates and the change history of an object."""

import re

from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response
from simple_history.utils import update_change_reason

from core.db import run_in_transaction
from core.versioning import StaleEdit, claim_version, history_entries


class PreconditionRequired(APIException):
    status_code = 428
    default_detail = {
        "version": [
            "Say which version you are editing: send the version you read as the 'version' field, "
            'or its ETag in an If-Match header (If-Match: "3"). Without it a stale edit could '
            "overwrite someone else's."
        ]
    }
    default_code = "precondition_required"


class EditConflict(APIException):
    status_code = 409
    default_code = "conflict"


class PreconditionFailed(APIException):
    status_code = 412
    default_code = "precondition_failed"


class StillReferred(APIException):
    status_code = 409
    default_code = "protected"


def _referred_by(error: ProtectedError | RestrictedError) -> str:
    counts = {}
    for obj in error.protected_objects if isinstance(error, ProtectedError) else error.restricted_objects:
        meta = obj._meta
        counts[meta] = counts.get(meta, 0) + 1
    return ", ".join(
        f"{count} {meta.verbose_name if count == 1 else meta.verbose_name_plural}"
        for meta, count in counts.items()
    )


class WriteMixin:
    """Writes that end in an answer that says what happened, never a 500.

    Each write runs in a transaction of its own, run again if the database cancels it to break a
    deadlock with another (a 503 with Retry-After if it keeps doing so); deleting an object that
    others still refer to is a 409 naming them; a write that collides with one saved meanwhile
    (the database's unique constraints) is a 409.
    """

    def create(self, request, *args, **kwargs):
        create = super().create
        return self._write(lambda: create(request, *args, **kwargs))

    def update(self, request, *args, **kwargs):
        update = super().update
        return self._write(lambda: update(request, *args, **kwargs))

    def destroy(self, request, *args, **kwargs):
        destroy = super().destroy
        return self._write(lambda: destroy(request, *args, **kwargs))

    def perform_destroy(self, instance):
        try:
            super().perform_destroy(instance)
        except (ProtectedError, RestrictedError) as error:
            raise StillReferred(
                {
                    "detail": f"This {instance._meta.verbose_name} cannot be deleted: {_referred_by(error)} "
                    "still refer to it. Change or delete those first."
                }
            ) from None

    def _write(self, write):
        try:
            return run_in_transaction(write)
        except IntegrityError:
            raise EditConflict(
                {"detail": "This change collides with one saved meanwhile; read the data again and retry."}
            ) from None


class VersionedSerializerMixin(serializers.Serializer):
    """The row's version (read it, send it back with an edit) and a write-only reason for the history."""

    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="The version this edit starts from, as read; a stale version is refused (409).",
    )
    change_reason = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="Why the change was made, kept in the change history.",
    )

    def create(self, validated_data):
        reason = validated_data.pop("change_reason", "")
        validated_data.pop("version", None)
        instance = super().create(validated_data)
        if reason:
            update_change_reason(instance, reason)
        return instance

    def update(self, instance, validated_data):
        instance._change_reason = validated_data.pop("change_reason", "")
        validated_data.pop("version", None)
        return super().update(instance, validated_data)


ETAG_VERSION = re.compile(r'(?:W/)?"?([0-9]{1,18})"?')


def _if_match_version(request):
    header = request.headers.get("If-Match")
    if header is None:
        return None
    match = ETAG_VERSION.fullmatch(header.strip())
    if match is None:
        raise ValidationError({"If-Match": [f'Expected the ETag of a version, such as "3"; got {header!r}.']})
    return int(match.group(1))


class VersionedEditMixin(WriteMixin):
    """A viewset whose updates and deletes name the version they start from; a stale one is refused.

    The version comes from an If-Match header (412 when stale) or, for updates, the body's
    `version` (409 when stale); an update or delete with neither is a 428. Reads carry the
    version as an ETag.
    """

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = f'"{response.data["version"]}"'
        return response

    def update(self, request, *args, **kwargs):
        response = super().update(request, *args, **kwargs)
        response["ETag"] = f'"{response.data["version"]}"'
        return response

    def perform_update(self, serializer):
        from_header = _if_match_version(self.request)
        expected = from_header if from_header is not None else serializer.validated_data.get("version")
        if expected is None:
            raise PreconditionRequired()
        try:
            claim_version(serializer.instance, expected)
        except StaleEdit as error:
            exception = PreconditionFailed if from_header is not None else EditConflict
            raise exception(error.message_dict) from None
        serializer.save()

    def perform_destroy(self, instance):
        expected = _if_match_version(self.request)
        if expected is None:
            raise PreconditionRequired(
                {
                    "version": [
                        "Say which version you are deleting, as its ETag in an If-Match header "
                        '(If-Match: "3"): a delete made from a stale read could remove a change you '
                        "have not seen."
                    ]
                }
            )
        try:
            claim_version(instance, expected)
        except StaleEdit as error:
            raise PreconditionFailed(error.message_dict) from None
        super().perform_destroy(instance)


class FieldChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    old = serializers.CharField()
    new = serializers.CharField()


class HistoryEntrySerializer(serializers.Serializer):
    history_id = serializers.IntegerField()
    version = serializers.IntegerField(allow_null=True)
    date = serializers.DateTimeField()
    user = serializers.CharField(
        allow_null=True,
        help_text="Who made the change (shown to the tracker's staff; null for others, or if not recorded).",
    )
    type = serializers.ChoiceField(choices=["created", "changed", "deleted"])
    reason = serializers.CharField()
    changes = FieldChangeSerializer(many=True, help_text="Each changed field, old and new value.")


class HistoryMixin:
    """`<detail>/history/`: the object's change history, newest first, readable by anyone."""

    @extend_schema(responses={200: HistoryEntrySerializer(many=True)}, filters=False)
    @action(detail=True, pagination_class=None, filter_backends=[])
    def history(self, request, *args, **kwargs):
        entries = history_entries(self.get_object(), with_users=request.user.is_staff)
        return Response(HistoryEntrySerializer(entries, many=True).data)
