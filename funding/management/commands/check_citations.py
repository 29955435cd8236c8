from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import pluralize

from funding.io.citations import check_citations


class Command(BaseCommand):
    help = (
        "Check every quote against the text of its source, and every program date and figure's as-of "
        "date against the precision its sources state, from the source texts in DIR (<key>.txt, or "
        "NNN_….txt for a source whose seed reference is 'seed NNN'). Fails, naming each figure, "
        "program or fact, when a quote is not found word for word or a date is more precise than its "
        "sources."
    )

    def add_arguments(self, parser):
        parser.add_argument("--texts", required=True, metavar="DIR", help="The directory of source texts.")

    def handle(self, *args, texts, **options):
        directory = Path(texts)
        if not directory.is_dir():
            raise CommandError(f"--texts: {directory} is not a directory.")
        report = check_citations(directory)
        if report.texts == 0:
            raise CommandError(f"--texts: no source's text is in {directory}; nothing can be checked.")
        for problem in report.problems:
            self.stderr.write(str(problem))
        summary = (
            f"{report.quotes} quote{pluralize(report.quotes)} and "
            f"{report.dates} date{pluralize(report.dates)} checked against the texts of "
            f"{report.texts} source{pluralize(report.texts)}; "
            f"{len(report.unchecked_sources)} source{pluralize(len(report.unchecked_sources))} "
            f"without a text in {directory} left unchecked."
        )
        if report.problems:
            count = len(report.problems)
            raise CommandError(f"{count} problem{pluralize(count)} found. {summary}")
        self.stdout.write(summary)
