"""A script's author generates a Python client from the schema (openapi-python-client) and uses it: the
schema's types must be the ones the API takes and gives."""

import importlib
import os
import subprocess
import sys
import urllib.request
from decimal import Decimal
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

BIN = Path(sys.executable).parent


@pytest.fixture
def carsi_client(site, tmp_path, monkeypatch):
    schema = tmp_path / "schema.json"
    with urllib.request.urlopen(f"{site}/api/v1/schema/?format=json") as answer:
        schema.write_bytes(answer.read())
    generated = subprocess.run(
        [
            BIN / "openapi-python-client",
            *("generate", "--path", schema, "--meta", "none", "--output-path", tmp_path / "carsi_client"),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"},  # it formats with ruff
        timeout=300,
    )
    assert generated.returncode == 0, generated.stdout + generated.stderr
    monkeypatch.syspath_prepend(str(tmp_path))
    yield importlib.import_module("carsi_client")
    for name in [name for name in sys.modules if name.split(".")[0] == "carsi_client"]:
        del sys.modules[name]


def test_a_generated_client_fetches_guatemalas_disbursements_by_year(site, carsi_client):
    from carsi_client.api.allocations import allocations_totals_retrieve
    from carsi_client.models import AllocationsTotalsRetrieveStageItem

    client = carsi_client.Client(base_url=site)
    totals = allocations_totals_retrieve.sync(
        client=client,
        country="GT",
        stage=[AllocationsTotalsRetrieveStageItem.DISBURSED],
        group_by="fiscal_year",
    )
    by_year = {row["fiscal_year"]: Decimal(row["amount"]) for row in (r.to_dict() for r in totals.results)}
    assert by_year == {2009: Decimal("1242000.00"), 2010: Decimal("2000.00"), 2011: Decimal("431000.00")}
    assert Decimal(totals.total.amount) == Decimal("1675000.00")


def test_a_generated_client_lists_line_items_by_natural_keys(site, carsi_client):
    from carsi_client.api.allocations import allocations_list

    client = carsi_client.Client(base_url=site)
    page = allocations_list.sync(client=client, country="GT", fiscal_year_min=2009, fiscal_year_max=2011)
    assert page.count == 5
    assert {item.country for item in page.results} == {"GT"}
    assert sum(Decimal(item.amount) for item in page.results) == Decimal("1675000.00")
