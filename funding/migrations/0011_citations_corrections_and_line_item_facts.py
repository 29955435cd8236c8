# Data already stored, brought to the reference data's sections 6 and 7 (a new database gets all of it
# from the seed fixtures instead): each reported figure's quote and grade become its first citation, and
# its other sources further citations; accounts name their agencies; the seed line items get their
# agency, the meaning of their fiscal year, their appropriation year and the date they stand at; and the
# corrections of section 6 (and the seed's new notes and scope) are made where the seed values are still
# there (an editor's change stays); the objectives cite the fact sheet whose wording they are.
# Each correction of an existing value is recorded in the change history, with its reason.

from django.db import migrations
from django.utils import timezone

REASON = "Correction from the reference data (section 6)"

# The second sources of the seed figures, and the grade each gives (section 6: InSight Crime is P).
SECONDARY_GRADES = {
    ("fy2012-commitment", "insight-crime-2012-03-07"): "P",
    ("committed-to-date-2010", "voa-central-american-security"): "U",
}
ACCOUNT_AGENCIES = {
    "INCLE": ["state-inl"],
    "ESF": ["state-department", "usaid"],
    "NADR": ["state-department"],
    "FMF": ["state-department"],
}
# source key → (stage, fiscal-year basis, as of, agency by account code, appropriation year by account)
LINE_ITEM_FACTS = {
    "state-spend-plan-fy2012": (
        "appropriated",
        "appropriation",
        "2012-06-19",
        {"INCLE": "state-inl", "NADR": "state-department", "FMF": "state-department"},
        {},
    ),
    "gao-13-295r": (
        "disbursed",
        "transaction",
        "2011-09-30",
        {"ESF": "state-department", "NADR": "state-department"},
        {"NADR": 2008},
    ),
    "state-carsi-fy2010-activities": ("allocated", "appropriation", "2010", {"INCLE": "state-inl"}, {}),
}
# (figure key, field, seeded value, corrected value): section 6's corrections, and the figures' new
# notes, scope and meaning of their fiscal years as the seed fixtures now give them.
FIGURE_CORRECTIONS = [
    ('committed-to-date-2010', 'note', 'The period is inferred: $165 million equals the FY2008 and FY2009 appropriations. The Voice of America editorial says: "To date, the U.S. has contributed 165 million $ to support law enforcement and security forces in the region."', 'The period is inferred: $165 million equals the FY2008 and FY2009 appropriations.'),
    ('fy2008-2011-total', 'note', 'The same fact sheet also says CARSI "has to date allocated $361 million dollars in prevention, law enforcement, and rule of law assistance to the region".', 'The same fact sheet also says CARSI has “allocated” $361 million: see wh-allocated-fy2008-2011.'),
    ('fy2008-2011-total', 'fiscal_year_basis', '', 'appropriation'),
    ('fy2012-commitment', 'note', "Disagrees with the State Department's FY2012 spend plan, which gives $135 million appropriated for FY2012.", "The State Department's spend plan of June 2012 gives $135 million appropriated for FY2012: see the disagreement."),
    ('fy2012-commitment', 'fiscal_year_basis', '', 'appropriation'),
    ('fy2008-2012-total', 'fiscal_year_basis', '', 'appropriation'),
    ('gao-allocated-fy2008-2011', 'as_of', '2013-01-30', '2011-09-30'),
    ('gao-allocated-fy2008-2011', 'note', '', 'Published on 30 January 2013; the status it gives is that of 30 September 2011.'),
    ('gao-allocated-fy2008-2011', 'fiscal_year_basis', '', 'appropriation'),
    ('gao-allocated-fy2008-2012', 'as_of', '2013-09', '2013-06-01'),
    ('gao-allocated-fy2008-2012', 'note', 'GAO says "close to" this amount.', 'GAO says “close to” this amount, as of 1 June 2013; the report was published in September 2013.'),
    ('gao-allocated-fy2008-2012', 'fiscal_year_basis', '', 'appropriation'),
    ('gao-obligated-2013', 'fiscal_year_basis', '', 'appropriation'),
    ('gao-disbursed-2013', 'fiscal_year_basis', '', 'appropriation'),
    ('friends-commitments', 'note', 'Press reports give about $2 billion, mostly loans.', "The Group of Friends' money, not CARSI's. Press reports give about $2 billion, mostly loans: see the disagreement."),
    ('friends-commitments', 'scope', 'carsi', 'not_carsi'),
    ('demand-reduction', 'fiscal_year_basis', '', 'appropriation'),
]
# The seed figures' citations as the seed fixtures give them: (source, locator, quote, grade), the
# figure's own source first. Frozen here: the fixtures may change after this migration.
SEED_CITATIONS = {
    'committed-to-date-2010': [
        ('americas-post-2010', 'last paragraph', 'The $165 million in U.S. CARSI assistance committed to date seeks to support the following programming in Central America', 'U'),
        ('voa-central-american-security', 'fifth paragraph', 'To date, the U.S. has contributed 165 million $ to support law enforcement and security forces in the region.', 'U'),
    ],
    'under-review-2011': [
        ('wh-fact-sheet-2011-03-21', 'second paragraph', 'For the United States, this means reviewing approximately $200 million in funds under the Central America Regional Security Initiative (CARSI) to adapt to changing conditions, as well as a commitment to continuing support as appropriate.', 'U'),
    ],
    'fy2008-2011-total': [
        ('wh-fact-sheet-2012-03-06', 'Additional background: Direct support for partners through a sustained CARSI commitment', 'From FY 2008 – 2011, funding for CARSI totaled $361 million.', 'V'),
    ],
    'fy2012-commitment': [
        ('wh-fact-sheet-2012-03-06', 'Additional background: Direct support for partners through a sustained CARSI commitment', 'FY 2012’s $105 million commitment to CARSI will enable the United States to support a broad range of bilateral and regional programs to reduce levels of crime and violence', 'V'),
        ('insight-crime-2012-03-07', '', '', 'P'),
    ],
    'fy2008-2012-total': [
        ('wh-fact-sheet-2013-05-04', 'Direct, sustained support for Central America through CARSI', 'From fiscal years 2008 – 2012, the United States contributed $496 million', 'V'),
    ],
    'gao-allocated-fy2008-2011': [
        ('gao-13-295r', 'page 1', 'From fiscal years 2008 through 2011, U.S. agencies allocated $350 million in assistance funding for CARSI activities', 'V'),
        ('gao-13-295r', 'page 1, the date of the status', 'we are providing information on the status of funding provided under CARSI to support programs in partner countries as of September 30, 2011', 'V'),
    ],
    'gao-allocated-fy2008-2012': [
        ('gao-13-771', 'Highlights', 'obligated at least $463 million of the close to $495 million in allocated funding for CARSI activities', 'V'),
    ],
    'gao-obligated-2013': [
        ('gao-13-771', 'Highlights', 'As of June 1, 2013, the Department of State (State) and the United States Agency for International Development (USAID) obligated at least $463 million', 'V'),
    ],
    'gao-disbursed-2013': [
        ('gao-13-771', 'Highlights', 'and disbursed at least $189 million', 'V'),
    ],
    'friends-commitments': [
        ('wh-fact-sheet-2012-03-06', 'Group of Friends of Central America', 'Group of Friends commitments, including technical assistance, valued at more than $650 million dollars is assisting in the design and implementation of 22 programs that support the regional security strategy. Eight priority programs will be implemented in the next few months.', 'U'),
    ],
    'demand-reduction': [
        ('wh-fact-sheet-2012-03-06', 'Reducing domestic illegal drug consumption', 'More than $10 billion dollars was committed in FY 2012 to implement a broad range of drug prevention, rehabilitation, and community outreach programs.', 'U'),
    ],
}
MARTILLO_SUMMARY = (
    "A U.S.-led Western Hemisphere and European partner nation effort to disrupt and deter trafficking along "
    "the Central American coast, begun in January 2012 by the Joint Interagency Task Force-South in support "
    "of U.S. Southern Command, with DOD and DHS ships and aircraft and DEA and DOJ personnel. Covers the "
    "littoral waters of the region.",
    "A U.S.-led Western Hemisphere and European partner nation effort to disrupt and deter trafficking along "
    "the Central American coast, begun in January 2012 (“this past January”, the fact sheet of 6 March 2012 "
    "says) by the Joint Interagency Task Force-South in support of U.S. Southern Command, with DOD and DHS "
    "ships and aircraft and DEA and DOJ personnel. Covers the littoral waters of the region.",
)
OBJECTIVES_SOURCE = "wh-fact-sheet-2011-03-21"  # the fact sheet whose wording the objectives are
SEED_PROGRAMS = [
    "operation-martillo",
    "tocumen-joint-security-program",
    "honduras-special-victims-task-force",
    "guatemala-police-improvement",
    "el-salvador-law-enforcement-technology-transfer",
    "nicaragua-naval-drug-interdiction",
    "guatemala-aviation-program",
    "vetted-units",
    "port-of-entry-screening",
    "community-policing-and-youth",
    "regional-equipment-and-training",
]


def _record_change(apps, app_label, model_name, instance):
    """A history row for a change made here, as simple-history writes one for a save."""
    historical = apps.get_model(app_label, f"Historical{model_name}")
    values = {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}
    historical.objects.create(
        **values,
        history_date=timezone.now(),
        history_type="~",
        history_change_reason=REASON,
    )


def forwards(apps, schema_editor):
    Organization = apps.get_model("partners", "Organization")
    FundingAccount = apps.get_model("funding", "FundingAccount")
    ReportedFigure = apps.get_model("funding", "ReportedFigure")
    Citation = apps.get_model("funding", "Citation")
    Allocation = apps.get_model("funding", "Allocation")
    Program = apps.get_model("programs", "Program")
    organizations = {organization.slug: organization for organization in Organization.objects.all()}

    Source = apps.get_model("sources", "Source")
    sources = {source.key: source for source in Source.objects.all()}
    for figure in ReportedFigure.objects.all():
        seeded = SEED_CITATIONS.get(figure.key)
        if seeded and all(key in sources for key, *_ in seeded):
            # The seed's citations, with the quote and grade of the figure as stored (an editor's stay).
            for position, (key, locator, quote, grade) in enumerate(seeded):
                if position == 0:
                    quote, grade = figure.quote or quote, figure.grade or grade
                Citation.objects.get_or_create(
                    figure=figure,
                    source=sources[key],
                    locator=locator,
                    defaults={"quote": quote, "grade": grade, "position": position},
                )
            continue
        # A figure added since: its quote and grade become its first citation, its other sources more.
        Citation.objects.get_or_create(
            figure=figure,
            source_id=figure.source_id,
            locator="",
            defaults={"quote": figure.quote, "grade": figure.grade or "U", "position": 0},
        )
        for position, other in enumerate(figure.also_cited_in.order_by("key"), 1):
            grade = SECONDARY_GRADES.get((figure.key, other.key), figure.grade or "U")
            Citation.objects.get_or_create(
                figure=figure, source=other, locator="", defaults={"grade": grade, "position": position}
            )

    for account in FundingAccount.objects.all():
        agencies = [organizations[slug] for slug in ACCOUNT_AGENCIES.get(account.code, []) if slug in organizations]
        account.agencies.add(*agencies)

    for source_key, (stage, basis, as_of, agencies, appropriation_years) in LINE_ITEM_FACTS.items():
        items = Allocation.objects.filter(source__key=source_key, stage=stage, as_of="")
        for item in items.select_related("account"):
            code = item.account.code if item.account_id else None
            item.fiscal_year_basis = basis
            item.as_of = as_of
            agency = organizations.get(agencies.get(code, ""))
            item.agency_id = agency.pk if agency else None
            item.appropriation_year = appropriation_years.get(code)
            item.save(update_fields=["fiscal_year_basis", "as_of", "agency", "appropriation_year"])

    corrected_figures = {}
    for key, field, seeded, corrected in FIGURE_CORRECTIONS:
        figure = corrected_figures.get(key) or ReportedFigure.objects.filter(key=key).first()
        if figure is not None and getattr(figure, field) == seeded:
            setattr(figure, field, corrected)
            corrected_figures[key] = figure
    for figure in corrected_figures.values():
        figure.version += 1
        figure.save()
        _record_change(apps, "funding", "ReportedFigure", figure)

    Objective = apps.get_model("programs", "Objective")
    if OBJECTIVES_SOURCE in sources:
        Objective.objects.filter(source__isnull=True).update(source=sources[OBJECTIVES_SOURCE])

    # No source states a program's status; Operation Martillo began "this past January" (2012-01).
    for program in Program.objects.filter(slug__in=SEED_PROGRAMS):
        changed = False
        if program.status == "active":
            program.status, changed = "not_stated", True
        if program.slug == "operation-martillo" and program.start_date == "2012-01-15":
            program.start_date, changed = "2012-01", True
        if program.slug == "operation-martillo" and program.summary == MARTILLO_SUMMARY[0]:
            program.summary, changed = MARTILLO_SUMMARY[1], True
        if changed:
            program.version += 1
            program.save()
            _record_change(apps, "programs", "Program", program)


class Migration(migrations.Migration):

    dependencies = [
        ("funding", "0010_coverage_citations_disagreements"),
        ("programs", "0004_partial_dates_objective_sources"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
