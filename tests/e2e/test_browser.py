"""The pages in a real headless Chromium, as an analyst uses them.

Needs Debian's chromium (or CARSI_CHROMIUM pointing at one). Without it these tests
skip with a message, unless CARSI_BROWSER_TESTS=required (as in CI), when they fail.
"""

import csv
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest

from funding.models import Allocation
from tests.e2e.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def query_of(url):
    return parse_qs(urlsplit(url).query)


def test_dashboard_loads_with_charts_and_figures(page):
    page.goto(page.site + "/")
    assert page.locator("h1").inner_text() == "Where CARSI's money went, FY2008–FY2012"
    assert page.locator("svg.chart").count() == 2
    assert page.locator("svg.chart rect").count() == 14 + 8  # 14 account segments, 8 country bars
    card = page.locator(".stage-card", has_text="Appropriated")
    assert card.locator("data").get_attribute("title") == "$496,508,000"
    row = page.locator("tr", has_text="FY2012 commitment to CARSI")
    assert "$135.0M" not in row.inner_text()  # another stage: the disagreement sets them side by side
    row.get_by_role("link", name="see the disagreement").click()
    assert page.locator("h1").inner_text() == "FY2012: $105 million or $135 million"
    page.goto(page.site + "/")
    screenshot(page, "dashboard")


def test_dashboard_fits_a_phone_screen(browser, site):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(site + "/")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    screenshot(page, "dashboard-phone")
    context.close()
    assert overflow <= 0


def test_explorer_filters_by_form_and_keeps_state_in_the_url(page):
    page.goto(page.site + "/allocations/")
    assert "54 line items match." in page.locator(".result-summary").inner_text()
    page.get_by_label("Disbursed").check()
    page.get_by_label("Guatemala").check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/allocations/?*")
    assert query_of(page.url)["stage"] == ["disbursed"]
    assert query_of(page.url)["country"] == ["GT"]
    assert "5 line items match." in page.locator(".result-summary").inner_text()
    assert page.locator("table.line-items tbody tr").count() == 5
    screenshot(page, "explorer")
    # The URL alone brings the same view back.
    page.goto(page.url)
    assert page.get_by_label("Guatemala").is_checked()


def test_explorer_sorts_and_pivots(page):
    page.goto(page.site + "/allocations/?stage=appropriated")
    page.get_by_role("link", name="Amount").click()
    first = page.locator("table.line-items tbody tr").first
    assert first.locator("data").get_attribute("title") == "$85,000,000"
    page.select_option("select[name=pivot]", "account")
    page.get_by_role("button", name="Apply filters").click()
    pivot = page.locator("table.pivot")
    assert pivot.locator("caption").inner_text() == "Appropriated by account and fiscal year"
    assert pivot.locator("tfoot data").last.get_attribute("title") == "$496,508,000"


def test_an_amount_leads_to_its_line_items_and_source(page):
    page.goto(page.site + "/")
    page.locator("#countries-heading ~ figure svg a", has_text="Regional / no country").click()
    page.wait_for_url("**/allocations/?*")
    assert query_of(page.url)["country"] == ["regional"]
    assert "6 line items match." in page.locator(".result-summary").inner_text()
    page.locator("table.line-items tbody tr").first.locator("a.money").click()
    assert "Regional" in page.locator("dl.facts").inner_text()
    page.locator("dl.facts a", has_text="Status of Funding").click()
    assert page.locator("h1").inner_text().startswith("Status of Funding for the Central America")
    assert "$12,075,000" in page.locator("ul.stage-sums data").first.get_attribute("title")


def test_csv_download_is_exactly_the_filtered_set(page, tmp_path):
    page.goto(page.site + "/allocations/?stage=disbursed&country=GT,HN")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV").click()
    path = tmp_path / "download.csv"
    download_info.value.save_as(path)
    with open(path, newline="", encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) == 8
    assert sum(Decimal(row["amount"]) for row in rows) == Decimal("2234000.00")
    shown = page.locator(".result-summary data").first.get_attribute("title")
    assert shown == "$2,234,000"


def test_reconciliation_page_marks_each_verdict(page):
    page.goto(page.site + "/reconciliation/")
    assert page.locator("tr.verdict-row-disagrees:not(.explanation)").count() == 0
    assert page.locator("tr.verdict-row-partial_coverage:not(.explanation)").count() == 6
    partial = page.locator("tr.verdict-row-partial_coverage .verdict").first
    assert partial.evaluate("element => getComputedStyle(element).color") == "rgb(74, 63, 143)"
    commitment = page.locator("#fy2012-commitment")
    assert "No line items" in commitment.inner_text()
    assert "$135.0M" in commitment.inner_text()
    screenshot(page, "reconciliation")


def test_program_and_country_pages(page):
    page.goto(page.site + "/programs/")
    page.select_option("select[name=country]", "GT")
    page.get_by_role("button", name="Filter").click()
    assert page.locator("table.figures caption").inner_text() == "3 programs"
    page.get_by_role("link", name="Vetted units").click()
    assert "Amount not reported" in page.locator("main").inner_text()
    page.get_by_role("link", name="Costa Rica").first.click()
    assert page.locator("h1").inner_text() == "Costa Rica"
    assert "Regional money" in page.locator("main").inner_text()


def test_api_docs_admin_and_browsable_api_run_under_the_content_security_policy(page, django_user_model):
    """The CSP allows no inline script or style: these pages, with their own scripts, still work
    (a refused script or style would be a console error, which the page fixture fails on)."""
    page.goto(page.site + "/api/v1/docs/")
    page.locator(".opblock-summary-path", has_text="/api/v1/allocations/totals/").first.wait_for()
    screenshot(page, "api-docs")

    page.goto(page.site + "/api/v1/allocations/?country=GT&format=api")
    assert "Allocation List" in page.locator("h1").inner_text()

    django_user_model.objects.create_superuser("admin", "admin@example.org", "pw-for-tests-only")
    page.goto(page.site + "/admin/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "pw-for-tests-only")
    page.get_by_role("button", name="Log in").click()
    item = Allocation.objects.order_by("pk").first()
    page.goto(page.site + f"/admin/funding/allocation/{item.pk}/change/")
    assert page.locator("#allocation_form").count() == 1
    screenshot(page, "admin-allocation")
    # The reported figures' verdicts are coloured by the admin's stylesheet, not by inline styles
    # the policy would refuse (a refusal is a console error).
    page.goto(page.site + "/admin/funding/reportedfigure/")
    partial = page.locator(".verdict-partial_coverage").first
    assert partial.inner_text() == "partial coverage"
    assert partial.evaluate("element => getComputedStyle(element).color") == "rgb(74, 63, 143)"
    screenshot(page, "admin-reported-figures")


def test_a_page_at_a_release_says_so_and_its_links_stay_there(page):
    from decimal import Decimal

    from releases.models import Release
    from releases.publish import publish

    first = Release.objects.get(number=1)
    item = Allocation.objects.get(fiscal_year=2012, stage="appropriated", account__code="INCLE")
    item.amount = Decimal("86000000.00")
    item.save()
    second = publish("FY2012 INCLE corrected")
    page.goto(page.site + f"/?release={first.name}")
    banner = page.locator(".release-banner.past")
    assert f"Release {first.name}" in banner.inner_text()
    assert "Newer data is available" in banner.inner_text()
    assert page.locator(".stage-card", has_text="Appropriated").locator("data").get_attribute("title") == (
        "$496,508,000"
    )
    page.get_by_role("link", name="Explorer", exact=True).click()
    page.wait_for_url("**/allocations/?*")
    assert query_of(page.url)["release"] == [first.name]
    # The explorer's form keeps the release too.
    page.get_by_label("Appropriated").check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/allocations/?*stage=appropriated*")
    assert query_of(page.url)["release"] == [first.name]
    screenshot(page, "explorer-at-a-release")
    page.goto(page.site + "/")
    assert f"Data as of release {second.name}" in page.locator(".release-banner").inner_text()
    assert page.locator(".stage-card", has_text="Appropriated").locator("data").get_attribute("title") == (
        "$497,508,000"
    )
    page.goto(page.site + "/changes/")
    assert "amount: 85000000.00 → 86000000.00" in page.locator("table.figures tbody tr").first.inner_text()
    screenshot(page, "changes")
