from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import render
from rest_framework.exceptions import ValidationError

from releases import changes
from releases.api import parse_kinds, parse_since
from releases.models import Release

PAGE = 100


def change_list(request):
    """The latest changes, newest first (or those since ?since=), with the releases beside them."""
    try:
        since = parse_since(request.GET.get("since"))
        selected = parse_kinds(request.GET.get("kind"))
    except (ValidationError, DjangoValidationError) as error:
        detail = getattr(error, "detail", {"since": [str(error)]})
        return render(request, "releases/change_list.html", {"errors": detail}, status=400)
    total = changes.count(selected, since)
    rows = changes.page(selected, since, 0, PAGE, newest_first=True, show_users=request.user.is_staff)
    return render(
        request,
        "releases/change_list.html",
        {
            "changes": rows,
            "total": total,
            "shown": len(rows),
            "since": since,
            "releases": Release.objects.defer("bundle")[:20],
        },
    )
