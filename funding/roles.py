"""The two roles: Analyst (views everything) and Editor (also adds, changes and deletes what reports change).

Created by migration 0004 and kept complete after every `migrate` (and every flush), so that a
model added later, or a model that moved to another app, is in its role at once.
"""

from django.contrib.auth.models import Group, Permission

# The apps whose rows both roles may view; and what an Editor also edits, by app.
VIEWED = ["partners", "sources", "programs", "funding", "releases"]
EDITED = {
    "programs": ["program", "programpartner", "objectivewording"],
    "funding": [
        "allocation",
        "reportedfigure",
        "citation",
        "coverage",
        "disagreement",
        "disagreementside",
        "explanation",
        "organizationfact",
    ],
    "sources": ["source"],
}


def ensure_roles() -> None:
    view_all = Permission.objects.filter(content_type__app_label__in=VIEWED, codename__startswith="view_")
    analyst, _ = Group.objects.get_or_create(name="Analyst")
    analyst.permissions.add(*view_all)
    editor, _ = Group.objects.get_or_create(name="Editor")
    editor.permissions.add(*view_all)
    # A release is published (added), never changed nor deleted.
    editor.permissions.add(
        *Permission.objects.filter(content_type__app_label="releases", codename="add_release")
    )
    for app_label, models in EDITED.items():
        codenames = [f"{action}_{model}" for model in models for action in ("add", "change", "delete")]
        editor.permissions.add(
            *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )
