"""The translation catalogs (locale/<language>/LC_MESSAGES/django.po), with Babel alone: no system package.

    python scripts/messages.py compile [PO ...]   .po → .mo beside it (make install does this)
    python scripts/messages.py check              every entry translated, none fuzzy, placeholders kept
    python scripts/messages.py check --source     the same, with the catalogs first brought in step with
                                                  the code (makemessages; the files are left as they were)
    python scripts/messages.py make               bring the catalogs in step with the code (makemessages)

`make messages` (Django's makemessages, which needs GNU gettext) brings the catalogs in step with the
code; `make check-messages` (CI) then fails on any string that is new, untranslated or fuzzy.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"
# What makemessages reads: the project's own code and templates, not its tests or dependencies.
IGNORED = [".venv", "bench", "tests", "*/tests/*", "staticfiles", "locale", "scripts"]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdr]|%%")


def catalogs():
    return sorted(LOCALE.glob("*/LC_MESSAGES/django.po"))


def read(path: Path):
    with path.open("rb") as file:
        return read_po(file, abort_invalid=True)


def compile_catalog(path: Path) -> None:
    catalog = read(path)
    with path.with_suffix(".mo").open("wb") as file:
        write_mo(file, catalog, use_fuzzy=False)


def problems(path: Path) -> list[str]:
    catalog = read(path)
    found = []
    for message in catalog:
        if not message.id:
            continue
        name = message.id if isinstance(message.id, str) else message.id[0]
        where = f"{path.relative_to(LOCALE.parent)}: {name[:70]!r}"
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            found.append(f"{where} is fuzzy")
        if not all(strings):
            found.append(f"{where} is not translated")
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        # A translation may leave a value out (or write it another way), never ask for one not given.
        given = set().union(*(PLACEHOLDER.findall(text) for text in ids))
        for string in strings:
            if not set(PLACEHOLDER.findall(string)) <= given:
                found.append(f"{where}: the translation's placeholders differ from the original's")
                break
    return found


def make() -> None:
    """Every catalog in step with the code: new strings added untranslated, gone ones dropped."""
    languages = [path.parent.parent.name for path in catalogs()]
    command = [sys.executable, str(ROOT / "manage.py"), "makemessages", "--no-location", "--no-obsolete"]
    command += [f"--ignore={pattern}" for pattern in IGNORED]
    command += [f"--locale={language}" for language in languages]
    environment = {**os.environ, "DJANGO_DEBUG": os.environ.get("DJANGO_DEBUG", "1")}
    subprocess.run([*command, "--verbosity=0"], cwd=ROOT, env=environment, check=True)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"compile", "check", "make"}:
        print(__doc__)
        return 2
    if argv[0] == "make":
        make()
        return 0
    if argv[0] == "check" and "--source" in argv:
        # makemessages rewrites the catalogs in place: check what it writes, then put them back.
        with tempfile.TemporaryDirectory() as kept:
            originals = {path: Path(kept) / f"{index}.po" for index, path in enumerate(catalogs())}
            for path, copy in originals.items():
                shutil.copyfile(path, copy)
            try:
                make()
                return main(["check"])
            finally:
                for path, copy in originals.items():
                    shutil.copyfile(copy, path)
    if argv[0] == "compile":
        for path in [Path(name) for name in argv[1:]] or catalogs():
            compile_catalog(path)
        return 0
    found = [problem for path in catalogs() for problem in problems(path)]
    for problem in found:
        print(problem)
    if found:
        print(f"{len(found)} catalog problem(s): translate them in the .po file (README, Languages).")
        return 1
    print(f"{len(catalogs())} catalog(s): every entry translated, none fuzzy.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
