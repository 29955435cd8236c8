"""The OpenAPI schema a client is generated from: keys typed as the strings they are, years bounded, every
operation summarised, reads open to anyone, and files described as files."""

import re

import pytest

pytestmark = pytest.mark.django_db

OPERATIONS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
def schema(client):
    response = client.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def parameters(schema, path, method="get"):
    return {parameter["name"]: parameter for parameter in schema["paths"][path][method].get("parameters", [])}


@pytest.mark.parametrize(
    "name, real_key, not_a_key",
    [
        ("country", "GT", "G"),
        ("donor", "united-states", "united states"),
        ("account", "INCLE", "INCLE,"),
        ("program", "vetted-units", "vetted units"),
        ("source", "gao-13-295r", "gao 13"),
        ("objective", "2", "two"),
    ],
)
def test_natural_key_filters_are_strings_with_a_pattern_and_a_real_example(schema, name, real_key, not_a_key):
    parameter = parameters(schema, "/api/v1/allocations/")[name]
    kind = parameter["schema"]
    assert kind["type"] == "string"
    pattern = re.compile(kind["pattern"])
    assert pattern.match(real_key) and pattern.match(f"{real_key},{real_key}")
    assert not pattern.match(not_a_key)
    assert pattern.match(kind["example"])


def test_each_example_key_is_one_the_api_accepts(client, schema):
    for name, parameter in parameters(schema, "/api/v1/allocations/").items():
        if parameter["schema"].get("type") == "string" and "example" in parameter["schema"]:
            response = client.get("/api/v1/allocations/", {name: parameter["schema"]["example"]})
            assert response.status_code == 200, (name, response.content[:200])


def test_the_none_values_fit_the_patterns(schema):
    listed = parameters(schema, "/api/v1/allocations/")
    assert re.match(listed["country"]["schema"]["pattern"], "regional")
    assert re.match(listed["program"]["schema"]["pattern"], "none,vetted-units")


def test_fiscal_years_are_bounded_1990_to_2099(schema):
    listed = parameters(schema, "/api/v1/allocations/")
    for name in ("fiscal_year", "fiscal_year_min", "fiscal_year_max"):
        assert (listed[name]["schema"]["minimum"], listed[name]["schema"]["maximum"]) == (1990, 2099)


def test_every_operation_has_a_summary_and_a_description(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in OPERATIONS:
                assert operation.get("summary"), (method, path)
                assert operation.get("description"), (method, path)
    assert schema["paths"]["/api/v1/allocations/"]["get"]["summary"] == "List the line items"
    assert schema["paths"]["/api/v1/objectives/"]["post"]["summary"] == "Add an objective"


def test_reads_need_no_credentials_and_writes_do(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method == "get":
                assert operation["security"] == [], path
            elif method in OPERATIONS:
                assert {} not in operation["security"] and operation["security"], (method, path)


def test_the_downloads_are_described_as_the_files_they_are(schema):
    for path in ("/api/v1/allocations/", "/api/v1/allocations/totals/", "/api/v1/reconciliation/"):
        content = schema["paths"][path]["get"]["responses"]["200"]["content"]
        assert set(content) == {
            "application/json",
            "text/csv",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }, path
        assert parameters(schema, path)["format"]["schema"]["enum"] == ["csv", "json", "xlsx"]
    iati = schema["paths"]["/api/v1/iati/activities.xml"]["get"]
    assert set(iati["responses"]["200"]["content"]) == {"application/xml"}
    assert "country" in parameters(schema, "/api/v1/iati/activities.xml")


def test_every_read_takes_a_release(client, schema):
    for path, item in schema["paths"].items():
        if "get" in item:
            release = parameters(schema, path)["release"]
            assert release["schema"]["pattern"].startswith("^"), path
    name = client.get("/api/v1/releases/").json()["results"][0]["name"]
    assert re.match(parameters(schema, "/api/v1/countries/")["release"]["schema"]["pattern"], name)
