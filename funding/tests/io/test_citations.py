"""check_citations: quotes found word for word in their sources' texts, dates no more precise than them.

The texts here are written by the tests themselves, from the quotes the tracker holds; the source
documents' own texts are checked by CI (`check_citations --texts ../shared/seeds`).
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from funding.io.citations import date_precision_in, normalize, quote_found
from funding.models import Citation, OrganizationFact
from programs.models import Program
from sources.models import Source

pytestmark = pytest.mark.django_db

FACT_SHEET = "wh-fact-sheet-2012-03-06"


@pytest.fixture
def texts(tmp_path):
    """A text for the White House fact sheet of 6 March 2012 holding every quote that cites it, typeset
    as a web page would be: typographic quotes, no-break spaces, lines broken anywhere."""
    quotes = [citation.quote for citation in Citation.objects.filter(source__key=FACT_SHEET)]
    quotes += [fact.quote for fact in OrganizationFact.objects.filter(source__key=FACT_SHEET)]
    body = "\n\n".join(quote.replace("'", "’").replace(" ", "\u00a0", 1) for quote in quotes if quote)
    text = f"March 6, 2012.\n{body}\nThis past January, Operation Martillo began.\n"
    (tmp_path / f"{FACT_SHEET}.txt").write_text(text, encoding="utf-8")
    return tmp_path


def check(directory):
    output = []

    class Out:
        def write(self, text):
            output.append(text)

        def flush(self):
            pass

    call_command("check_citations", texts=str(directory), stdout=Out(), stderr=Out())
    return "".join(output)


def test_every_quote_and_date_of_the_source_is_found(texts):
    assert check(texts) == (
        "8 quotes and 6 dates checked against the texts of 1 source; 16 sources without a text in "
        f"{texts} left unchecked.\n"
    )


def test_an_altered_quote_fails_naming_the_figure(texts, capsys):
    citation = Citation.objects.get(figure__key="fy2012-commitment", source__key=FACT_SHEET)
    citation.quote = citation.quote.replace("$105 million", "$150 million")
    citation.save()
    with pytest.raises(CommandError, match=r"^1 problem found\. "):
        check(texts)
    with pytest.raises(CommandError):
        call_command("check_citations", texts=str(texts))
    assert (
        f"figure fy2012-commitment: quote not found in the text of {FACT_SHEET}: “FY 2012’s $150 million"
        in capsys.readouterr().err
    )


def test_a_date_more_precise_than_its_source_fails(texts, capsys):
    Program.objects.filter(slug="operation-martillo").update(start_date="2012-01-15")
    with pytest.raises(CommandError, match=r"^1 problem found\. "):
        call_command("check_citations", texts=str(texts))
    assert capsys.readouterr().err == (
        "program operation-martillo: start date 2012-01-15 is more precise than wh-fact-sheet-2012-03-06, "
        "which states its month only: store 2012-01\n"
    )


def test_a_date_the_source_does_not_state_fails(texts, capsys):
    Program.objects.filter(slug="operation-martillo").update(start_date="1999-09")
    with pytest.raises(CommandError):
        call_command("check_citations", texts=str(texts))
    assert "program operation-martillo: start date September 1999 (1999-09) is not in the text of" in (
        capsys.readouterr().err
    )


def test_a_directory_without_any_source_text_is_refused(tmp_path):
    (tmp_path / "unrelated.txt").write_text("Nothing here.")
    with pytest.raises(CommandError, match="no source's text is in"):
        call_command("check_citations", texts=str(tmp_path))
    with pytest.raises(CommandError, match="is not a directory"):
        call_command("check_citations", texts=str(tmp_path / "missing"))


def test_a_seed_reference_names_its_file_by_number(tmp_path):
    Source.objects.filter(key=FACT_SHEET).update(seed_reference="seed 002")
    (tmp_path / "002_fc5894c5.txt").write_text(
        "Eight priority programs will be implemented in the next few months."
    )
    with pytest.raises(CommandError) as raised:
        call_command("check_citations", texts=str(tmp_path))
    # Found, and checked: its one matching quote passes; the others fail by name.
    assert "against the texts of 1 source" in str(raised.value)


@pytest.mark.parametrize(
    ("quote", "text", "found"),
    [
        ("FY 2012’s $105 million", "FY 2012's $105\n   million", True),
        ("“safe streets”", '"safe streets"', True),
        ("approximately $200 million", r"approximately \$200 million", True),
        (
            "The Central America Citizen Security Partnership",
            "**The Central America Citizen Security Partnership**",
            True,
        ),
        ("support … the region", "support for law enforcement in the region", True),
        ("the region … support", "support for law enforcement in the region", False),
        ("$105 million", "$150 million", False),
        ("Safe streets", "safe streets", False),  # word for word: case counts
    ],
)
def test_quotes_are_compared_word_for_word_once_typography_is_set_aside(quote, text, found):
    assert quote_found(quote, normalize(text)) is found


@pytest.mark.parametrize(
    ("value", "text", "published", "precision"),
    [
        ("2012-01", "This past January, it began.", "2012-03-06", 2),
        ("2012-01-15", "This past January, it began.", "2012-03-06", 2),
        ("2012-03-06", "March 6, 2012.", "2012-03-06", 3),
        ("2011-06-22", "el 22 de junio de 2011", "", 3),
        ("2010", "In 2010 the Secretary stated", "", 1),
        ("2013-09", "no dates at all", "2013-09", 2),
        ("2009", "in 2010 and 20091", "2010", 0),
    ],
)
def test_how_precisely_a_text_states_a_date(value, text, published, precision):
    assert date_precision_in(value, normalize(text), published) == precision


SEEDS = Path(os.environ.get("CARSI_SOURCE_TEXTS", Path(settings.BASE_DIR).parent / "shared" / "seeds"))


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"No source texts at {SEEDS} (set CARSI_SOURCE_TEXTS)")
def test_the_reference_data_agrees_with_the_source_texts():
    output = check(SEEDS)
    assert output.startswith("16 quotes and 8 dates checked against the texts of 5 sources;")
