"""The OpenAPI schema says what the API answers, errors included.

drf-spectacular describes the successful answers from the serializers; this hook adds, to every
operation, the error answers it can give, so that a client (or a schema-based fuzzer) knows each
status code it may see, and marks reads as open to anonymous clients, which they are.
"""

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
    "404": "No such object, a page beyond the last, or an unknown ?format.",
    "406": "None of the accepted formats can be given (JSON, CSV, the browsable API).",
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
            if "{" in path or parameters & {"page", "format"}:
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
            # An error comes in the format asked for: JSON, or CSV (field,message) with ?format=csv.
            formats = ["application/json"]
            if "format" in parameters or any(
                "text/csv" in answer.get("content", {}) for answer in responses.values()
            ):
                formats.append("text/csv")
            for code in sorted(codes):
                responses.setdefault(code, {"description": ERRORS[code]})
                content = responses[code].setdefault("content", {})
                if code == "414":  # answered by gunicorn before the request reaches the app
                    content.setdefault("text/html", {"schema": {"type": "string"}})
                    continue
                for media_type in formats:
                    content.setdefault(media_type, {"schema": {"$ref": "#/components/schemas/Error"}})
            if method in READS and {} not in operation.get("security", [{}]):
                operation["security"].append({})
    return result
