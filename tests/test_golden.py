"""The answers of the API and the pages to a fixed set of requests, byte for byte as in tests/golden/.

A refactoring must leave them exactly as they are; a change of behaviour re-records them
(CARSI_RECORD_GOLDEN=1 pytest tests/test_golden.py) and the diff of tests/golden/ shows what changed.
Times that a run sets (created_at, updated_at, the date of a change, the name of the seed's release)
are masked.
"""

import json
import os
import re
from pathlib import Path

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

GOLDEN = Path(__file__).parent / "golden" / "api.json"
RECORD = os.environ.get("CARSI_RECORD_GOLDEN") == "1"

REQUESTS = [
    "/api/v1/allocations/",
    "/api/v1/allocations/?country=GT,regional&stage=disbursed&ordering=-amount",
    "/api/v1/allocations/?stage=disbursed&page_size=3&page=2",
    "/api/v1/allocations/?account=none&program=none",
    "/api/v1/allocations/?search=counterterrorism&fiscal_year_min=2010",
    "/api/v1/allocations/?objective=none&amount_min=100000&amount_max=2000000",
    "/api/v1/allocations/1/",
    "/api/v1/allocations/totals/",
    "/api/v1/allocations/totals/?group_by=fiscal_year",
    "/api/v1/allocations/totals/?group_by=account,fiscal_year&stage=appropriated",
    "/api/v1/allocations/totals/?group_by=country&stage=disbursed",
    "/api/v1/allocations/totals/?group_by=program,objective,source,donor",
    "/api/v1/allocations/totals/?group_by=nonsense",
    "/api/v1/allocations/?country=XX",
    "/api/v1/allocations/?fiscal_year=abc&stage=foo",
    "/api/v1/reconciliation/",
    "/api/v1/reconciliation/?verdict=agrees,disagrees&stage=appropriated",
    "/api/v1/reported-figures/",
    "/api/v1/reported-figures/fy2012-commitment/",
    "/api/v1/sources/",
    "/api/v1/programs/",
    "/api/v1/programs/?country=GT&objective=3",
    "/api/v1/countries/",
    "/api/v1/organizations/",
    "/api/v1/objectives/",
    "/api/v1/accounts/",
    "/api/v1/allocations/1/history/",
    "/api/v1/programs/operation-martillo/history/",
    "/api/v1/allocations/?format=csv",
    "/api/v1/allocations/?format=csv&country=GT&stage=disbursed",
    "/api/v1/allocations/totals/?format=csv&group_by=country,fiscal_year",
    "/api/v1/reconciliation/?format=csv",
    # The pages, whose HTML is generated from the same structures.
    "/",
    "/allocations/",
    "/allocations/?country=GT,regional&stage=disbursed,allocated&pivot=account&ordering=-amount",
    "/allocations/?fiscal_year_min=2099&country=XX",
    "/allocations/1/",
    "/reconciliation/",
    "/programs/",
    "/programs/regional-equipment-and-training/",
    "/countries/",
    "/countries/GT/",
    "/objectives/",
    "/objectives/2/",
    "/sources/",
    "/sources/gao-13-295r/",
]

MASKED = re.compile(r'"(created_at|updated_at|date)": ?"[^"]*"')
MASKED_ON_PAGES = re.compile(r"\b20[0-9]{2}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}\b")  # a change's time
# A release is named by the day it is published: the seed's, in every run.
MASKED_RELEASE = re.compile(r"\b20[0-9]{2}-[0-9]{2}-[0-9]{2}\.[0-9]+\b")


def answer(client, url):
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return {
        "status": response.status_code,
        "content_type": response["Content-Type"],
        "body": MASKED_RELEASE.sub(
            "RELEASE", MASKED_ON_PAGES.sub("…", MASKED.sub(r'"\1": "…"', body.decode()))
        ),
    }


def test_the_api_answers_as_recorded():
    client = APIClient()
    answers = {url: answer(client, url) for url in REQUESTS}
    if RECORD:
        GOLDEN.write_text(json.dumps(answers, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    recorded = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert list(answers) == list(recorded)
    assert [url for url in REQUESTS if answers[url] != recorded[url]] == []
