"""The methodology page in headless Chromium, in English and in Spanish: reached from the footer, every
section linked from the page's own contents, no console error, no English word left on the Spanish page,
and no page wider than a phone."""

import pytest

from tests.e2e.conftest import screenshot
from tests.e2e.test_spanish import english_left

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECTIONS = ["stages", "grades", "verdicts", "coverage", "fiscal-years", "releases", "iati", "downloads"]


@pytest.mark.parametrize("home, heading", [("/", "Methodology"), ("/es/", "Metodología")])
def test_the_footer_leads_to_the_methodology_and_its_contents_to_each_section(page, home, heading):
    page.goto(page.site + home)
    page.locator(f'footer.site-footer a[href="{home}methodology/"]').click()
    page.wait_for_url(f"**{home}methodology/")
    assert page.locator("h1").inner_text() == heading
    language = "es" if home == "/es/" else "en"
    assert page.locator("html").get_attribute("lang") == language
    for section in SECTIONS:
        page.locator(f'nav a[href="#{section}"]').click()
        assert page.url.endswith(f"/methodology/#{section}")
        assert page.locator(f"h2#{section}").is_visible()
    if language == "es":
        assert english_left(page) == set()
    page.goto(page.site + home + "methodology/")
    screenshot(page, f"methodology-{language}")


@pytest.mark.parametrize("path", ["/methodology/", "/es/methodology/"])
def test_the_methodology_fits_a_phone_screen(browser, site, path):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    tab = context.new_page()
    errors = []
    tab.on("console", lambda message: message.type == "error" and errors.append(message.text))
    tab.goto(site + path)
    overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    screenshot(tab, f"methodology-{'es' if path.startswith('/es/') else 'en'}-phone")
    context.close()
    assert errors == []
    assert overflow <= 0
