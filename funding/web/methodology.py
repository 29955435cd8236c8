from django.shortcuts import render

from core.i18n import DEFAULT, active_language


def methodology(request):
    """How the tracker counts the money. The page is prose, written once per language in a template of
    its own (a catalog of dozens of sentence fragments would read worse in both): the active
    language's, or English for a language that has none yet."""
    return render(
        request, [f"funding/methodology_{active_language()}.html", f"funding/methodology_{DEFAULT}.html"]
    )
