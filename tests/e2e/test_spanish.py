"""Every page in Spanish, in headless Chromium, at desktop and phone width: no English interface word
left (the list is built from the English catalog), lang="es", amounts as CLDR writes them for es.

Words that people typed in English (a source's title, a program without a Spanish name) are marked
with lang="en" on the page and are not interface words: they are left out of the search.
"""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

from funding.models import Allocation
from releases.models import Release
from tests.e2e.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CATALOG = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES" / "django.po"
# Names the two languages share: the initiative, agencies and accounts, formats, the API's words.
SHARED = {
    "carsi", "sica", "usaid", "incle", "esf", "nadr", "fmf", "gao", "api", "csv", "json", "atom", "url",
    "utc", "iso", "sha", "zip", "tracker", "dea", "doj", "dod", "dhs", "inl", "bid", "fy",
}  # fmt: skip
PAGES = [
    "/",
    "/allocations/",
    "/allocations/?stage=disbursed&pivot=country",
    "/reconciliation/",
    "/disagreements/",
    "/disagreements/fy2012-105-or-135/",
    "/programs/",
    "/programs/operation-martillo/",
    "/countries/",
    "/countries/GT/",
    "/organizations/",
    "/organizations/united-states/",
    "/objectives/",
    "/objectives/1/",
    "/sources/",
    "/sources/gao-13-295r/",
    "/changes/",
    "/methodology/",
]
# The page's text in its own language: text nodes whose nearest lang is the page's, outside code.
OWN_TEXT = """() => {
  const page = document.documentElement.lang;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const parts = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    if (!element || element.closest("code, script, style, [hidden], [translate=no]")) continue;
    const marked = element.closest("[lang]");
    if (marked && marked.getAttribute("lang") !== page) continue;
    parts.push(node.textContent);
  }
  return parts.join(" ");
}"""


def words(text: str) -> set[str]:
    text = re.sub(r"%\(\w+\)[sdr]|<[^>]+>|&\w+;", " ", text)
    return {word.lower() for word in re.findall(r"[^\W\d_][^\W\d_']+", text)}


def english_interface_words() -> set[str]:
    """Every word of the English catalog that no Spanish translation uses, three letters or more."""
    with CATALOG.open("rb") as file:
        catalog = read_po(file)
    english, spanish = set(), set()
    for message in catalog:
        if not message.id:
            continue
        for text in message.id if isinstance(message.id, tuple) else (message.id,):
            english |= words(text)
        for text in message.string if isinstance(message.string, tuple) else (message.string,):
            spanish |= words(text)
    return {word for word in english - spanish - SHARED if len(word) >= 3}


ENGLISH = english_interface_words()


def english_left(page) -> set[str]:
    return words(page.evaluate(OWN_TEXT)) & ENGLISH


def test_the_word_list_is_the_english_catalogs():
    assert {"disbursed", "line", "items", "reconciliation", "source", "the", "and"} <= ENGLISH
    assert not {"regional", "total", "carsi"} & ENGLISH


@pytest.mark.parametrize("width", [1280, 390])
def test_every_page_in_spanish_has_no_english_interface_word(browser, site, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="es-GT")
    tab = context.new_page()
    problems, current = [], {"path": ""}
    # The not-found page's own 404 is the one error expected.
    tab.on(
        "console",
        lambda message: (
            message.type == "error"
            and "no-such-page" not in current["path"]
            and problems.append(f"{current['path']}: {message.text}")
        ),
    )
    tab.on("pageerror", lambda error: problems.append(f"{current['path']}: {error}"))
    release = Release.objects.order_by("number").first().name
    line_item = Allocation.objects.order_by("pk").first().pk
    left, overflowing = {}, []
    extra = [f"/allocations/{line_item}/", f"/reconciliation/?release={release}", "/es/no-such-page/"]
    for path in [*PAGES, *extra]:
        current["path"] = path
        # A Spanish browser asking for the English address is sent to the Spanish page.
        response = tab.goto(site + path)
        assert tab.url.startswith(site + "/es/"), (path, tab.url)
        assert response.status == (404 if "no-such-page" in path else 200), path
        assert tab.locator("html").get_attribute("lang") == "es"
        found = english_left(tab)
        if found:
            left[path] = sorted(found)
        if tab.evaluate("document.documentElement.scrollWidth - window.innerWidth") > 0:
            overflowing.append(path)
        name = re.sub(r"[^a-z0-9]+", "-", path.strip("/").split("?")[0].lower()) or "dashboard"
        screenshot(tab, f"es-{name}-{width}")
    context.close()
    assert left == {}
    assert problems == []
    if width < 500:
        assert overflowing == []


def test_spanish_amounts_follow_cldr(page):
    page.goto(page.site + "/es/")
    card = page.locator(".stage-card", has_text="Asignado por ley")
    assert card.locator("data").inner_text() == "496,5\xa0M\xa0US$"
    assert card.locator("data").get_attribute("title") == "496.508.000\xa0US$"
    assert page.locator("h1").inner_text() == "Adónde fue el dinero de CARSI, AF2008–AF2012"


def test_the_switcher_keeps_the_page_and_its_filters(page):
    page.goto(page.site + "/allocations/?country=GT&stage=disbursed")
    page.locator("nav.languages").get_by_role("link", name="Español").click()
    assert page.url == page.site + "/es/allocations/?country=GT&stage=disbursed"
    assert page.locator("h1").inner_text() == "Explorador de partidas"
    page.locator("nav.languages").get_by_role("link", name="English").click()
    assert page.url == page.site + "/allocations/?country=GT&stage=disbursed"
    assert page.locator("h1").inner_text() == "Line-item explorer"
