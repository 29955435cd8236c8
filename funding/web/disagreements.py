from django.http import Http404
from django.shortcuts import render

from funding.models import Disagreement
from funding.queries.disagreements import with_sides


def disagreement_list(request):
    return render(
        request, "funding/disagreement_list.html", {"disagreements": with_sides(Disagreement.objects.all())}
    )


def disagreement_detail(request, key):
    found = with_sides(Disagreement.objects.filter(key=key))
    if not found:
        raise Http404(f"No disagreement {key}")
    return render(request, "funding/disagreement_detail.html", {"view": found[0]})
