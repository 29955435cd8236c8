"""The OpenAPI schema says what the API answers, errors included, in terms a generated client can use.

drf-spectacular describes the successful answers from the serializers. Here:

- AutoSchema gives every operation a summary and a description (what it does, who may call it);
- FilterExtension types the natural-key filters as the strings they are (GT, united-states, INCLE), with
  a pattern and examples of real keys, and bounds the number filters (fiscal years 1990–2099);
- the error_responses hook adds, to every operation, the error answers it can give, so that a client (or
  a schema-based fuzzer) knows each status code it may see, and marks reads as open to anyone.
"""

import inspect
import re

from django.db import DatabaseError, models
from django.utils import translation
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.openapi import AutoSchema as BaseAutoSchema
from drf_spectacular.plumbing import build_parameter_type
from drf_spectacular.utils import OpenApiParameter

from core.filters import NaturalKeyFilter

# Operations of a model's viewset, by action: (summary, what it needs).
ACTIONS = {
    "list": ("List the {plural}", "read"),
    "retrieve": ("Read one {name}", "read"),
    "create": ("Add a {name}", "write"),
    "update": ("Replace a {name}", "write"),
    "partial_update": ("Change some fields of a {name}", "write"),
    "destroy": ("Delete a {name}", "write"),
    "history": ("The change history of a {name}", "read"),
}
WHO = {
    "read": "Anyone may read it; no login is needed.",
    "write": "Needs a token (Authorization: Token …) or a session login, with the permission to change "
    "{plural}.",
}


def _first_paragraph(text: str | None) -> str:
    return re.sub(r"\s+", " ", (text or "").strip().split("\n\n")[0]).strip()


def _own_doc(obj) -> str:
    """The docstring `obj` itself wrote: not one inherited from a mixin or from DRF's generic views."""
    if obj is None:
        return ""
    doc = obj.__dict__.get("__doc__") if isinstance(obj, type) else getattr(obj, "__doc__", None)
    module = getattr(obj, "__module__", "") or ""
    if not doc or module.startswith(("rest_framework", "django")):
        return ""
    return inspect.cleandoc(doc)


def _sentence(text: str) -> str:
    return _first_paragraph(text).split(". ")[0].rstrip(".")


def _with_article(text: str) -> str:
    """ "Add a {name}" with "an" before a vowel ("Add an objective")."""
    return re.sub(r"\ba ([aeiouAEIOU])", r"an \1", text)


class AutoSchema(BaseAutoSchema):
    """Every operation with a summary and a description: what it does, and who may call it. The
    description is the view's or the action's own docstring, else the model's, where it wrote one."""

    def _model(self):
        queryset = getattr(self.view, "queryset", None)
        return getattr(queryset, "model", None)

    def _names(self) -> dict[str, str]:
        model = self._model()
        with translation.override("en"):
            return {"name": str(model._meta.verbose_name), "plural": str(model._meta.verbose_name_plural)}

    def _action(self):
        return getattr(self.view, getattr(self.view, "action", None) or self.method.lower(), None)

    def get_summary(self):
        action = getattr(self.view, "action", None)
        if self._model() is not None and action in ACTIONS:
            return _with_article(ACTIONS[action][0].format(**self._names()))
        return _sentence(_own_doc(self._action()) or _own_doc(self.view.__class__)) or None

    def get_description(self):
        action = getattr(self.view, "action", None)
        model = self._model()
        description = _own_doc(self._action()) or _own_doc(self.view.__class__)
        if model is not None and not description:
            description = (
                _own_doc(model) if not (model.__doc__ or "").startswith(f"{model.__name__}(") else ""
            )
        parts = [description]
        if model is not None and action in ACTIONS:
            parts.append(WHO[ACTIONS[action][1]].format(**self._names()))
        elif self.method.lower() in ("get", "head"):
            parts.append(WHO["read"])
        return "\n\n".join(part for part in parts if part)


def _key_pattern(model) -> str:
    """A regular expression of one natural key of `model`, from its field."""
    field = model._meta.get_field(model.NATURAL_KEY)
    for validator in field.validators:
        regex = getattr(validator, "regex", None)
        if regex is not None and not isinstance(field, models.SlugField):
            return regex.pattern.removeprefix("^").removesuffix("$").removeprefix("\\A").removesuffix("\\Z")
    if isinstance(field, models.SlugField):
        return "[-a-zA-Z0-9_]+"
    if isinstance(field, models.IntegerField):
        return "[0-9]+"
    return "[^,]+"


def _key_examples(model) -> list[str]:
    try:
        return [
            str(key)
            for key in model.objects.order_by(model.NATURAL_KEY).values_list(model.NATURAL_KEY, flat=True)[:3]
        ]
    except DatabaseError:  # a schema written with no database behind it
        return []


class FilterExtension(DjangoFilterExtension):
    """django-filter's schema, with the natural-key filters typed as strings and number bounds kept."""

    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        if isinstance(filter_field, NaturalKeyFilter):
            return [self._natural_key(field_name, filter_field)]
        parameters = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        low, high = filter_field.extra.get("min_value"), filter_field.extra.get("max_value")
        for parameter in parameters:
            schema = parameter["schema"]
            if schema.get("type") == "integer":
                schema.pop("format", None)
                for name, value in (("minimum", low), ("maximum", high)):
                    if value is not None:
                        schema[name] = value
        return parameters

    def _natural_key(self, field_name, filter_field):
        related = filter_field.extra["model"]
        key = _key_pattern(related)
        none = filter_field.extra.get("none_value")
        one = f"(?:{key}|{re.escape(none)})" if none else f"(?:{key})"
        examples = _key_examples(related)
        schema = {"type": "string", "pattern": f"^{one}(?:,{one})*$"}
        if examples:
            schema["example"] = examples[0]
        described = str(filter_field.extra.get("help_text") or filter_field.label or "")
        if examples:
            described += f" Comma-separated, e.g. {','.join(examples[:2])}."
        return build_parameter_type(
            name=field_name,
            required=filter_field.extra.get("required", False),
            location=OpenApiParameter.QUERY,
            description=described.strip(),
            schema=schema,
        )


ERROR = {
    "type": "object",
    "description": (
        'Either {"detail": "message"} or, for invalid fields and parameters, '
        '{"field": ["message", …]} naming each field.'
    ),
    "additionalProperties": True,
}

ERRORS = {
    "400": "A parameter or field is invalid; the body names it.",
    "401": "Writing needs credentials (a token, or a session login).",
    "403": "The user lacks the permission for this change.",
    "404": "No such object, or a page beyond the last.",
    "406": "The ?format= (or Accept header) asks for a format this address does not have; the body names "
    "the ones it has.",
    "409": "The `version` sent is not the current one (someone else changed the object first), or the "
    "object is still referred to by others and cannot be deleted.",
    "412": "The If-Match version is not the current one: someone else changed the object first.",
    "413": "The request body is larger than the API accepts.",
    "414": "The request line is over 4,094 bytes (gunicorn's limit); the server's own HTML page.",
    "415": "The request body is not JSON or form data.",
    "428": "A change or delete must say which version it edits (`version` in the body, or If-Match).",
    "429": "Too many anonymous requests; Retry-After says when to come back.",
    "503": "The database is not answering, or cancelled a write to break a conflict; nothing was "
    "changed. Retry-After says when to try again.",
}

READS = {"get", "head"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ERROR_FORMATS = ["application/json", "text/csv", XLSX, "application/xml"]
BINARY = {"type": "string", "format": "binary"}
WRITES = {"post", "put", "patch", "delete"}


def _is_versioned(operation, components) -> bool:
    content = operation.get("requestBody", {}).get("content", {})
    for media in content.values():
        ref = media.get("schema", {}).get("$ref", "")
        schema = components.get(ref.rsplit("/", 1)[-1], {})
        if "version" in schema.get("properties", {}):
            return True
    return False


def _is_versioned_path(path, result) -> bool:
    """A detail path whose PUT or PATCH takes a version: its DELETE needs one (If-Match) too."""
    item = result.get("paths", {}).get(path, {})
    components = result.get("components", {}).get("schemas", {})
    return any(_is_versioned(item[method], components) for method in ("put", "patch") if method in item)


RELEASE_PARAMETER = {
    "name": "release",
    "in": "query",
    "required": False,
    "description": "The name of a published release (GET /api/v1/releases/): the answer as the data stood "
    "then. Unknown or malformed: a 400 naming it.",
    "schema": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}\\.[0-9]+$"},
}


def error_responses(result, generator, request, public):
    components = result.get("components", {}).get("schemas", {})
    components["Error"] = ERROR
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if method not in READS | WRITES:
                continue
            # 400 on every operation: a parameter or field it does not take, or an address with a NUL
            # character in it, is refused by name wherever it is sent.
            codes = {"400", "406", "429", "503"}
            parameters = {parameter["name"] for parameter in operation.get("parameters", [])}
            if parameters:
                codes.add("414")
            if "{" in path or "page" in parameters:
                codes.add("404")
            if method in WRITES:
                codes |= {"401", "403"}
            if method in {"post", "put", "patch"}:
                codes |= {"409", "413", "415"}  # 409: collides with a row saved meanwhile
            if method in {"put", "patch"} and _is_versioned(operation, components):
                codes |= {"409", "412", "428"}
            if method == "delete" and "{" in path:
                codes.add("409")  # still referred to by other rows
                if _is_versioned_path(path, result):
                    codes |= {"412", "428"}
            responses = operation.setdefault("responses", {})
            # An error comes in the format asked for (core.api.renderers): JSON, or with ?format= a CSV
            # or a sheet of field and message; an XML endpoint's errors are XML.
            # What is refused before any view runs (an unknown ?release=, a NUL in the address, a
            # database down) is JSON wherever it is asked.
            answered = set(responses.get("200", {}).get("content", {}))
            formats = ["application/json", *(f for f in ERROR_FORMATS[1:] if f in answered)]
            for code in sorted(codes):
                responses.setdefault(code, {"description": ERRORS[code]})
                content = responses[code].setdefault("content", {})
                if code == "414":  # answered by gunicorn before the request reaches the app
                    content.setdefault("text/html", {"schema": {"type": "string"}})
                    continue
                for media_type in formats:
                    # A sheet is a binary file; the other formats write the same fields and messages.
                    error = BINARY if media_type == XLSX else {"$ref": "#/components/schemas/Error"}
                    content.setdefault(media_type, {"schema": error})
            if method in READS:
                # Anyone reads: no lock in the docs, no credentials a generated client must hold.
                operation["security"] = []
                # Every read answers as of a release too (core.release_context).
                if "release" not in parameters:
                    operation.setdefault("parameters", []).append(RELEASE_PARAMETER)
    return result
