"""The methodology page, written once per language: both answer, every section can be linked, the
Spanish one speaks the glossary's words, every page's footer leads to it, and what it states about the
reconciliation and the fiscal years is what the code does."""

import pytest
from django.test import RequestFactory
from django.utils import translation

from funding.choices import Qualifier, Stage
from funding.fiscal import CARSI_FIRST_YEAR, fiscal_year_bounds
from funding.queries.reconciliation import TOLERANCE
from funding.web.methodology import methodology
from releases.models import Release

pytestmark = pytest.mark.django_db

SECTIONS = ["stages", "grades", "verdicts", "coverage", "fiscal-years", "releases", "iati", "downloads"]
# The README's glossary: the Spanish word of each stage.
SPANISH_STAGES = {
    Stage.REQUESTED: "solicitado",
    Stage.COMMITTED: "prometido",
    Stage.APPROPRIATED: "asignado por ley",
    Stage.ALLOCATED: "distribuido",
    Stage.OBLIGATED: "obligado",
    Stage.DISBURSED: "desembolsado",
}


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def stage_heading(stage, label):
    """A stage's badge with its name, and its code beneath."""
    return f'<span class="stage stage-{stage}">{label}</span><span class="detail"><code>{stage}</code></span>'


def test_the_page_answers_in_english_and_in_spanish_each_with_its_own_text(client):
    english = client.get("/methodology/")
    spanish = client.get("/es/methodology/")
    assert english.status_code == spanish.status_code == 200
    assert "funding/methodology_en.html" in [template.name for template in english.templates]
    assert "funding/methodology_es.html" in [template.name for template in spanish.templates]
    assert '<html lang="en">' in english.content.decode()
    assert "<h1>Methodology</h1>" in english.content.decode()
    assert '<html lang="es">' in spanish.content.decode()
    assert "<h1>Metodología</h1>" in spanish.content.decode()


def test_the_page_reads_the_release_it_shows_in_one_query(client, django_assert_num_queries):
    # The data version (core.responsecache), then the latest release and whether anything changed
    # since: the banner and the cite box share it.
    with django_assert_num_queries(2):
        html_of(client, "/methodology/")


@pytest.mark.parametrize("url", ["/methodology/", "/es/methodology/"])
def test_every_section_has_the_same_id_in_both_languages(client, url):
    html = html_of(client, url)
    for section in SECTIONS:
        assert html.count(f'<h2 id="{section}">') == 1, section
        assert f'<a href="#{section}">' in html, section


def test_the_spanish_page_names_each_stage_with_its_glossary_term(client):
    html = html_of(client, "/es/methodology/")
    for stage, term in SPANISH_STAGES.items():
        label = term[0].upper() + term[1:]
        assert stage_heading(stage, label) in html, stage


def test_the_english_page_names_each_stage(client):
    html = html_of(client, "/methodology/")
    for stage in Stage:
        assert stage_heading(stage, stage.label) in html, stage


@pytest.mark.parametrize(
    "url, link",
    [("/", "/methodology/"), ("/es/", "/es/methodology/"), ("/countries/GT/", "/methodology/")],
)
def test_every_page_footer_links_to_the_methodology_in_its_language(client, url, link):
    html = html_of(client, url)
    footer = html[html.index('<footer class="site-footer">') :]
    assert f'<a href="{link}">' in footer


def test_the_page_states_the_margins_the_reconciliation_applies(client):
    english, spanish = html_of(client, "/methodology/"), html_of(client, "/es/methodology/")
    exact = (TOLERANCE[Qualifier.EXACT] * 100).normalize()
    approximate = (TOLERANCE[Qualifier.APPROXIMATELY] * 100).normalize()
    assert TOLERANCE[Qualifier.ALMOST] == TOLERANCE[Qualifier.APPROXIMATELY]
    assert f"an exact figure agrees within {exact}%" in english
    assert f'an "approximately" within {approximate}%' in english
    assert f"una cifra exacta coincide con un margen del {str(exact).replace('.', ',')}&nbsp;%" in spanish
    assert f"con un margen del {approximate}&nbsp;%" in spanish


def test_the_initiative_date_of_the_iati_mapping_is_carsis_first_day(client):
    first_day = fiscal_year_bounds(CARSI_FIRST_YEAR)[0].isoformat()
    assert first_day == "2007-10-01"
    for url in ("/methodology/", "/es/methodology/"):
        assert f"<code>{first_day}</code>" in html_of(client, url)


def test_the_citation_example_is_the_cite_box_of_a_reconciliation_row(client):
    release = Release.objects.latest_release().name
    english, spanish = html_of(client, "/methodology/"), html_of(client, "/es/methodology/")
    permalink = f"http://testserver/reconciliation/?release={release}#fy2012-commitment"
    assert f'Cite: CARSI Tracker, release {release}, <a href="{permalink}" translate="no">' in english
    spanish_permalink = f"http://testserver/es/reconciliation/?release={release}#fy2012-commitment"
    assert f'<a href="{spanish_permalink}" translate="no">' in spanish
    # The same box as on the reconciliation page's row.
    row = html_of(client, "/reconciliation/")
    assert f'<a href="{permalink}" translate="no">{permalink}</a>' in row


def test_a_language_without_a_page_of_its_own_is_given_the_english_one():
    request = RequestFactory().get("/methodology/")
    with translation.override("fr"):
        response = methodology(request)
    assert response.status_code == 200
    assert "<h1>Methodology</h1>" in response.content.decode()
