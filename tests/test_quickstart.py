"""docs/quickstart.md's Python examples, run as written against a live server with the seed data.

Each ```python block sets the server's address on its first line (BASE = "…"); that line is replaced
by the live server's, and the block is run in a namespace of its own. The blocks end by asserting
the seed's figures, so a wrong example and a changed API both fail here, named by the block's line.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

DOC = Path(settings.BASE_DIR) / "docs" / "quickstart.md"
FENCE = re.compile(r"^```python\n(.*?)^```$", re.MULTILINE | re.DOTALL)
BASE_LINE = re.compile(r'\ABASE = "http://127\.0\.0\.1:8000"\n')
DOC_ADDRESS = "127.0.0.1:8000"


def python_blocks() -> list[tuple[int, str]]:
    """Each ```python block of the doc: the line its code starts on, and the code."""
    text = DOC.read_text(encoding="utf-8")
    return [(text.count("\n", 0, match.start(1)) + 1, match.group(1)) for match in FENCE.finditer(text)]


BLOCKS = python_blocks()


def test_every_python_block_reads_the_address_from_its_first_line_alone():
    assert BLOCKS, f"no ```python block in {DOC}"
    for line, code in BLOCKS:
        assert BASE_LINE.match(code), (
            f'the block at line {line} does not start with BASE = "http://{DOC_ADDRESS}"'
        )
        assert DOC_ADDRESS not in BASE_LINE.sub("", code), f"the block at line {line} names the address twice"
        assert "\nassert " in code, f"the block at line {line} checks nothing"


def test_python_is_fenced_only_as_python_so_that_every_example_is_run():
    fences = re.findall(r"^```[ \t]*(py\S*)", DOC.read_text(encoding="utf-8"), re.MULTILINE | re.IGNORECASE)
    assert set(fences) == {"python"}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("line", "code"), BLOCKS, ids=[f"line-{line}" for line, _ in BLOCKS])
def test_python_block_runs_against_the_seed_data(site, line, code):
    code = BASE_LINE.sub(f"BASE = {site!r}\n", code)
    # Padded so that a traceback names the doc's own line.
    compiled = compile("\n" * (line - 1) + code, str(DOC), "exec")
    exec(compiled, {"__name__": "quickstart"})
