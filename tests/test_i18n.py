"""Spanish and English: the language chosen from the address, the reader's choice and the browser's;
Spanish pages, messages, formats and downloads; and catalogs that stay complete."""

import csv
import io
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from core.partial_dates import format_partial_date
from funding.fiscal import format_fiscal_years
from funding.money import format_exact, format_short

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


def page(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code, response.get("Location"))
    return response.content.decode()


# Where the language comes from


def test_english_is_unprefixed_and_spanish_lives_under_es(client):
    english, spanish = page(client, "/countries/GT/"), page(client, "/es/countries/GT/")
    assert '<html lang="en">' in english and "Funding attributed to Guatemala" in english
    assert '<html lang="es">' in spanish and "Financiamiento atribuido a Guatemala" in spanish
    # Each page names its version in the other language.
    assert '<link rel="alternate" hreflang="es" href="/es/countries/GT/">' in english
    assert '<link rel="alternate" hreflang="en" href="/countries/GT/">' in spanish


def test_a_browser_that_prefers_spanish_is_sent_to_the_spanish_page_with_its_query(client):
    response = client.get("/allocations/?country=GT&stage=disbursed", HTTP_ACCEPT_LANGUAGE="es-GT,es;q=0.9")
    assert response.status_code == 302
    assert response["Location"] == "/es/allocations/?country=GT&stage=disbursed"
    assert "Accept-Language" in response["Vary"] and "Cookie" in response["Vary"]
    # An English browser, and any browser asking for the Spanish address, get the page asked for.
    assert client.get("/allocations/", HTTP_ACCEPT_LANGUAGE="en-US,en").status_code == 200
    assert client.get("/es/allocations/", HTTP_ACCEPT_LANGUAGE="en-US").status_code == 200


def test_the_readers_choice_outranks_the_browser(client):
    response = client.get("/language/en/", {"next": "/es/countries/GT/?release=x"})
    assert response.status_code == 302 and response["Location"] == "/countries/GT/?release=x"
    assert response.cookies["django_language"].value == "en"
    # Chosen English: the Spanish browser is no longer redirected.
    assert client.get("/countries/GT/", HTTP_ACCEPT_LANGUAGE="es").status_code == 200
    response = client.get("/language/es/", {"next": "/countries/GT/?stage=disbursed"})
    assert response["Location"] == "/es/countries/GT/?stage=disbursed"
    assert client.get("/countries/", HTTP_ACCEPT_LANGUAGE="en")["Location"] == "/es/countries/"


def test_the_switcher_keeps_the_view_and_goes_nowhere_else(client):
    html = page(client, "/allocations/?country=GT&stage=disbursed")
    assert 'href="/language/es/?next=/allocations/%3Fcountry%3DGT%26stage%3Ddisbursed"' in html
    assert client.get("/language/es/", {"next": "https://elsewhere.example/"})["Location"] == "/es/"
    assert client.get("/language/fr/").status_code == 404


def test_en_prefix_redirects_to_the_unprefixed_page(client):
    response = client.get("/en/programs/?country=HN")
    assert response.status_code == 302 and response["Location"] == "/programs/?country=HN"


def test_the_api_keeps_one_address_and_answers_in_the_readers_language(client):
    response = client.get("/api/v1/allocations/", {"country": "XX"}, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 400
    assert response.json() == {
        "country": ["Valor desconocido de país: XX; use códigos ISO alfa-2 como GT, o «regional»."]
    }
    assert response["Content-Language"] == "es"
    english = client.get("/api/v1/allocations/", {"country": "XX"}).json()
    assert english == {"country": ['Unknown country: XX; use ISO alpha-2 codes such as GT, or "regional".']}
    # django-filter's and DRF's own messages come in Spanish from their catalogs.
    response = client.get("/api/v1/allocations/", {"stage": "spent"}, HTTP_ACCEPT_LANGUAGE="es")
    assert "spent" in response.json()["stage"][0] and "Escoja" in response.json()["stage"][0]
    response = client.get("/api/v1/allocations/", {"release": "1999-01-01.1"}, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 400 and response.json()["release"][0].startswith("Versión desconocida")


# What the Spanish pages say, and how


def test_spanish_pages_format_amounts_and_dates_by_cldr(client):
    html = page(client, "/es/")
    assert "Adónde fue el dinero de CARSI, AF2008–AF2012" in html
    assert '<data value="496508000.00" title="496.508.000\xa0US$">496,5\xa0M\xa0US$</data>' in html
    assert "Asignado por ley" in html and "Desembolsado" in html
    detail = page(client, "/es/allocations/1/")
    assert "(1 de octubre de" in detail and "al 30 de septiembre de" in detail


def test_formats_follow_the_active_language():
    with translation.override("es"):
        assert format_exact(Decimal("1675000")) == "1.675.000\xa0US$"
        assert format_exact(Decimal("2550319.50")) == "2.550.319,50\xa0US$"
        assert format_short(Decimal("1675000")) == "1,7\xa0M\xa0US$"
        assert format_partial_date("2013-09") == "septiembre de 2013"
        assert format_partial_date("2012-03-06") == "6 de marzo de 2012"
        assert format_fiscal_years(2008, 2011) == "AF2008–AF2011"
    with translation.override("en"):
        assert (format_exact(Decimal("1675000")), format_short(Decimal("1675000"))) == ("$1,675,000", "$1.7M")
        assert format_partial_date("2013-09") == "September 2013"
        assert format_fiscal_years(2008, 2011) == "FY2008–FY2011"


def test_country_names_come_from_cldr(client):
    html = page(client, "/es/countries/")
    for name in ("Belice", "Panamá", "Costa Rica", "Guatemala"):
        assert f">{name}</a>" in html
    assert ">Belize</a>" not in html


def test_verdicts_and_explanations_are_written_in_spanish(client):
    html = page(client, "/es/reconciliation/")
    assert "Las partidas cubren una parte" in html and "Coincide" in html
    assert "Las partidas de la etapa «Desembolsado» suman" in html
    # What a coverage declaration counts is quoted in its own language, marked as such.
    assert '<span lang="en">State ESF and NADR disbursements FY2008–FY2011</span>' in html


def test_words_of_the_sources_keep_their_language(client):
    html = page(client, "/es/sources/")
    # A document's title is its name: in its own language, never translated.
    assert 'lang="es" translate="no">Plata, plomo y palos para narcos' in html
    assert 'lang="en" translate="no">Status of Funding for the Central America Regional Security' in html


def test_the_atom_feed_is_in_spanish_under_es(client):
    feed = client.get("/es/feeds/changes.atom").content.decode()
    assert 'xml:lang="es"' in feed and "CARSI Tracker: qué cambió" in feed


# Downloads: the header in the language asked for, the cells the same


def rows_of(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/allocations/?format=csv&country=GT",
        "/api/v1/allocations/?format=csv&country=regional",  # "Regional / no country", in English
        "/api/v1/allocations/totals/?format=csv&group_by=country",
        "/api/v1/reconciliation/?format=csv",
    ],
)
def test_a_spanish_csv_translates_its_header_only(client, url):
    english = rows_of(client.get(url, HTTP_ACCEPT_LANGUAGE="es"))
    spanish = rows_of(client.get(url + "&lang=es"))
    assert spanish[1:] == english[1:] and len(spanish) > 1
    assert len(spanish[0]) == len(english[0]) and spanish[0] != english[0]


def test_the_spanish_totals_header_column_by_column(client):
    english = rows_of(client.get("/api/v1/allocations/totals/?format=csv&group_by=country"))[0]
    spanish = rows_of(client.get("/api/v1/allocations/totals/?format=csv&group_by=country&lang=es"))[0]
    assert english == ["country", "country_name", "stage", "stage_name", "amount", "count"]
    assert spanish == ["país", "nombre_país", "etapa", "nombre_etapa", "monto", "cantidad"]


def test_an_unknown_download_language_is_refused_by_name(client):
    response = client.get("/api/v1/allocations/", {"format": "csv", "lang": "fr"})
    assert response.status_code == 400 and "lang" in response.content.decode()


# The admin, for a Spanish-speaking editor


def test_the_admin_speaks_spanish_to_a_spanish_browser(admin_client_logged_in):
    login = Client().get("/admin/login/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '<html lang="es"' in login and "Contraseña" in login
    change = admin_client_logged_in.get("/admin/funding/allocation/1/change/", HTTP_ACCEPT_LANGUAGE="es")
    html = change.content.decode()
    assert change.status_code == 200
    assert "Año fiscal" in html and "Motivo del cambio" in html and "Guardar" in html


# The catalogs


def test_the_catalog_check_fails_on_an_untranslated_or_fuzzy_entry(tmp_path):
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import messages
    finally:
        sys.path.pop(0)
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Translated %(name)s"\nmsgstr "Traducido %(name)s"\n\n'
        'msgid "Left out"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Guessed"\nmsgstr "Adivinado"\n\n'
        'msgid "Placeholder %(kept)s"\nmsgstr "Marcador %(lost)s"\n',
        encoding="utf-8",
    )
    messages.LOCALE = tmp_path
    found = messages.problems(po)
    assert len(found) == 3
    assert any("'Left out' is not translated" in problem for problem in found)
    assert any("'Guessed' is fuzzy" in problem for problem in found)
    assert any("placeholders differ" in problem for problem in found)


def test_the_projects_catalogs_are_complete():
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "messages.py"), "check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout


def test_the_spanish_explorer_downloads_a_spanish_header_and_offers_excel_its_bom(client):
    html = page(client, "/es/allocations/?country=GT")
    assert 'href="/api/v1/allocations/?country=GT&amp;format=csv&amp;lang=es"' in html
    assert 'href="/api/v1/allocations/?country=GT&amp;format=csv&amp;lang=es&amp;bom=1"' in html


def test_a_csv_for_excel_starts_with_a_byte_order_mark(client):
    plain = b"".join(client.get("/api/v1/allocations/", {"format": "csv"}).streaming_content)
    excel = b"".join(client.get("/api/v1/allocations/", {"format": "csv", "bom": "1"}).streaming_content)
    assert not plain.startswith(b"\xef\xbb\xbf") and excel == b"\xef\xbb\xbf" + plain
    refused = client.get("/api/v1/reconciliation/", {"format": "csv", "bom": "yes"})
    assert refused.status_code == 400 and "bom" in refused.content.decode()


def test_a_download_stopped_midway_leaves_the_language_alone():
    from django.utils import translation

    from core.i18n import in_default_language

    with translation.override("es"):
        rows = in_default_language(translation.get_language() for _ in range(3))
        assert next(rows) == "en"  # each row is made in the default language
        assert translation.get_language() == "es"  # and between rows the request's is back
        rows.close()  # a client gone: the generator is closed, whenever that is
        assert translation.get_language() == "es"
