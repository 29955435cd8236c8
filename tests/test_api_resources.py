"""The reference resources: natural keys in URLs and bodies, filters, writes, schema and docs."""

import pytest
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from programs.models import Program

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.mark.parametrize(
    ("url", "count"),
    [
        ("/api/v1/countries/", 14),
        ("/api/v1/organizations/", 26),
        ("/api/v1/objectives/", 5),
        ("/api/v1/programs/", 11),
        ("/api/v1/accounts/", 4),
        ("/api/v1/sources/", 17),
        ("/api/v1/reported-figures/", 26),
    ],
)
def test_lists(api, url, count):
    assert api.get(url).json()["count"] == count


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "/api/v1/countries/GT/",
            {"iso2": "GT", "iso3": "GTM", "name": "Guatemala", "sica_member": True, "carsi_country": True},
        ),
        (
            "/api/v1/objectives/2/",
            {"number": 2, "short_name": "Disrupt the Movement of Criminals and Contraband"},
        ),
        ("/api/v1/accounts/INCLE/", {"code": "INCLE", "agencies": ["state-inl"]}),
        ("/api/v1/sources/gao-13-295r/", {"key": "gao-13-295r", "published": "2013-01-30"}),
        (
            "/api/v1/organizations/state-inl/",
            {
                "slug": "state-inl",
                "acronym": "INL",
                "parent": "state-department",
                "parent_name": "U.S. Department of State",
                "home_country": "US",
                "home_country_name": "United States",
            },
        ),
        (
            "/api/v1/reported-figures/fy2012-commitment/",
            {
                "key": "fy2012-commitment",
                "amount": "105000000.00",
                "stage": "committed",
                "donor": "united-states",
                "source": "wh-fact-sheet-2012-03-06",
                "citations": [
                    {
                        "source": "wh-fact-sheet-2012-03-06",
                        "source_title": "Fact Sheet: The Central American Citizen Security Partnership",
                        "locator": "Additional background: Direct support for partners through a sustained "
                        "CARSI commitment",
                        "quote": "FY 2012’s $105 million commitment to CARSI will enable the United States "
                        "to support a broad range of bilateral and regional programs to reduce levels of "
                        "crime and violence",
                        "grade": "V",
                    },
                    {
                        "source": "insight-crime-2012-03-07",
                        "source_title": "No New Aid Promises from Biden in Honduras",
                        "locator": "",
                        "quote": "",
                        "grade": "P",
                    },
                ],
                "grade": "V",
                "fiscal_year_basis": "appropriation",
                "fiscal_year_min": 2012,
                "fiscal_year_max": 2012,
            },
        ),
    ],
)
def test_details_by_natural_key(api, url, expected):
    body = api.get(url).json()
    assert {key: body[key] for key in expected} == expected


def test_program_detail_names_its_partners_with_roles(api):
    body = api.get("/api/v1/programs/operation-martillo/").json()
    assert body["objectives"] == [2]
    assert body["countries"] == []
    assert body["lead_organization"] == "jiatf-south"
    assert {
        "organization": "southcom",
        "organization_name": "U.S. Southern Command",
        "role": "accountable",
    } in body["partners"]
    assert body["sources"] == ["wh-fact-sheet-2012-03-06"]
    # The White House gives the month it began, not the day.
    assert body["start_date"] == "2012-01"


@pytest.mark.parametrize(
    ("params", "slugs"),
    [
        ({"country": "GT"}, {"guatemala-police-improvement", "guatemala-aviation-program", "vetted-units"}),
        ({"objective": "1"}, {"community-policing-and-youth"}),
        ({"objective": "none"}, {"regional-equipment-and-training"}),
        ({"country": "regional", "objective": "2"}, {"operation-martillo", "port-of-entry-screening"}),
        (
            {"objective": "2,3", "country": "GT"},
            {"guatemala-police-improvement", "guatemala-aviation-program", "vetted-units"},
        ),
        ({"search": "airport"}, {"tocumen-joint-security-program"}),
    ],
)
def test_program_filters(api, params, slugs):
    body = api.get("/api/v1/programs/", params).json()
    assert {row["slug"] for row in body["results"]} == slugs
    assert body["count"] == len(slugs)


def test_program_filters_refuse_unknown_values(api):
    response = api.get("/api/v1/programs/", {"country": "XX", "status": "dormant"})
    assert response.status_code == 400
    assert set(response.json()) == {"country", "status"}


def test_program_list_queries_do_not_grow_with_programs(api, django_assert_num_queries):
    # First the data version (core.responsecache); then
    # 1: count; 2: programs with their lead; 3-6: objectives, countries, sources, partners.
    with django_assert_num_queries(7):
        api.get("/api/v1/programs/")
    for index in range(20):
        program = Program.objects.create(name=f"Program {index}", slug=f"program-{index}")
        program.countries.set([1, 2])
        program.objectives.set([1])
    with django_assert_num_queries(7):
        assert api.get("/api/v1/programs/").json()["count"] == 31


def test_other_lists_have_fixed_query_counts(api, django_assert_num_queries):
    with django_assert_num_queries(3):
        api.get("/api/v1/organizations/")
    # First the data version (core.responsecache); then
    # 1: count; 2: figures with donor and source; 3: their other sources.
    with django_assert_num_queries(4):
        api.get("/api/v1/reported-figures/")


def test_country_filters(api):
    body = api.get("/api/v1/countries/", {"carsi_country": "true"}).json()
    assert body["count"] == 7
    assert api.get("/api/v1/countries/", {"carsi_country": "perhaps"}).status_code == 400


@pytest.fixture
def program_editor(django_user_model):
    user = django_user_model.objects.create_user("program-editor")
    user.user_permissions.set(Permission.objects.filter(codename__in=["add_program", "change_program"]))
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_program_write_with_natural_keys_and_partner_roles(program_editor):
    response = program_editor.post(
        "/api/v1/programs/",
        {
            "name": "Border crossing training",
            "slug": "border-crossing-training",
            "status": "planned",
            "objectives": [2, 5],
            "countries": ["GT", "HN"],
            "lead_organization": "cbp",
            "partners": [
                {"organization": "cbp", "role": "implementing"},
                {"organization": "state-inl", "role": "funding"},
            ],
            "sources": ["wh-fact-sheet-2012-03-06"],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    program = Program.objects.get(slug="border-crossing-training")
    assert set(program.countries.values_list("iso2", flat=True)) == {"GT", "HN"}
    assert set(program.participations.values_list("organization__slug", "role")) == {
        ("cbp", "implementing"),
        ("state-inl", "funding"),
    }
    response = program_editor.patch(
        "/api/v1/programs/border-crossing-training/",
        {"partners": [{"organization": "ice", "role": "implementing"}], "version": 1},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert list(program.participations.values_list("organization__slug", flat=True)) == ["ice"]


def test_program_write_errors_name_the_field(program_editor):
    before = Program.objects.count()
    response = program_editor.post(
        "/api/v1/programs/",
        {
            "name": "Bad",
            "slug": "bad",
            "countries": ["XX"],
            "objectives": [9],
            "start_date": "2012-05-01",
            "end_date": "2011-01-01",
            "partners": [{"organization": "cbp", "role": "sponsor"}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"countries", "objectives", "partners"}
    response = program_editor.post(
        "/api/v1/programs/",
        {"name": "Bad", "slug": "bad", "start_date": "2012-05-01", "end_date": "2011-01-01"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"end_date": ["A program cannot end before it starts."]}
    assert Program.objects.count() == before


def test_schema_describes_every_endpoint_and_filter(api):
    response = api.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    for path in [
        "/api/v1/countries/",
        "/api/v1/countries/{iso2}/",
        "/api/v1/organizations/{slug}/",
        "/api/v1/objectives/{number}/",
        "/api/v1/programs/{slug}/",
        "/api/v1/accounts/{code}/",
        "/api/v1/sources/{key}/",
        "/api/v1/allocations/",
        "/api/v1/allocations/{id}/",
        "/api/v1/allocations/totals/",
        "/api/v1/reported-figures/{key}/",
        "/api/v1/reconciliation/",
    ]:
        assert path in paths, path
    parameters = {parameter["name"] for parameter in paths["/api/v1/allocations/"]["get"]["parameters"]}
    assert parameters >= {
        "fiscal_year",
        "fiscal_year_min",
        "fiscal_year_max",
        "stage",
        "country",
        "donor",
        "account",
        "objective",
        "program",
        "source",
        "amount_min",
        "amount_max",
        "search",
        "ordering",
        "page",
        "page_size",
        "format",
    }
    totals_parameters = {
        parameter["name"] for parameter in paths["/api/v1/allocations/totals/"]["get"]["parameters"]
    }
    assert {"group_by", "stage", "country", "format"} <= totals_parameters


def test_docs_work_offline(api):
    response = api.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "//cdn" not in html and "unpkg" not in html and "jsdelivr" not in html
