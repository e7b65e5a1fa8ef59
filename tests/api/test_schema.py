"""The OpenAPI schema and the interactive docs, served without any CDN."""

import yaml


def test_the_schema_describes_every_endpoint_with_the_domain_codes(users, client_for):
    response = client_for(users["agent"]).get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    paths = set(schema["paths"])
    assert {
        "/api/v1/auth/token/",
        "/api/v1/classify/",
        "/api/v1/use-cases/",
        "/api/v1/use-cases/{id}/",
        "/api/v1/use-cases/{id}/submit/",
        "/api/v1/use-cases/{id}/withdraw/",
        "/api/v1/tools/",
        "/api/v1/services/",
    } <= paths
    assert "delete" not in schema["paths"]["/api/v1/use-cases/{id}/"]
    enums = schema["components"]["schemas"]
    assert enums["AiActRiskEnum"]["enum"] == ["prohibited", "high", "limited", "minimal", "out_of_scope"]
    assert "5a" in enums["AnnexIIIPointEnum"]["enum"]
    assert "sex_life_orientation" in enums["PersonalDataCategoryEnum"]["enum"]
    assert enums["UseCaseStatusEnum"]["enum"][0] == "draft"


def test_the_interactive_docs_load_their_assets_locally(users, client_for):
    response = client_for(users["agent"]).get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "cdn.jsdelivr.net" not in html and "unpkg.com" not in html


def test_the_schema_documents_the_review_workflow_and_the_committee(users, client_for):
    schema = yaml.safe_load(client_for(users["agent"]).get("/api/schema/").content)
    paths = schema["paths"]
    methods = {
        "/api/v1/use-cases/{id}/retire/": {"post"},
        "/api/v1/use-cases/{id}/rework/": {"post"},
        "/api/v1/use-cases/{id}/resume/": {"post"},
        "/api/v1/use-cases/{id}/reviews/": {"get"},
        "/api/v1/reviews/": {"get"},
        "/api/v1/reviews/{id}/": {"get"},
        "/api/v1/reviews/{id}/opinions/": {"post"},
        "/api/v1/reviews/{id}/return/": {"post"},
        "/api/v1/committee-sessions/": {"get", "post"},
        "/api/v1/committee-sessions/{id}/": {"get"},
        "/api/v1/committee-sessions/{id}/agenda/": {"post"},
        "/api/v1/committee-sessions/{id}/agenda/{item_id}/": {"delete"},
        "/api/v1/committee-sessions/{id}/agenda/{item_id}/votes/": {"post"},
        "/api/v1/committee-sessions/{id}/agenda/{item_id}/conflict/": {"post"},
        "/api/v1/committee-sessions/{id}/agenda/{item_id}/opinion/": {"post"},
        "/api/v1/committee-sessions/{id}/close/": {"post"},
        "/api/v1/committee-members/": {"get", "post"},
        "/api/v1/committee-members/{id}/": {"get", "patch"},
        "/api/v1/tasks/": {"get"},
    }
    for path, expected in methods.items():
        assert set(paths[path]) - {"parameters"} == expected, path
    # Every action answers its refusals in the one error shape: 403 forbidden, 404 out of sight, 409 wrong state
    give = paths["/api/v1/reviews/{id}/opinions/"]["post"]
    assert {"201", "400", "403", "404", "409"} <= set(give["responses"])
    vote = paths["/api/v1/committee-sessions/{id}/agenda/{item_id}/votes/"]["post"]
    assert {"201", "400", "403", "404", "409"} <= set(vote["responses"])
    assert vote["responses"]["409"]["content"]["application/json"]["schema"]["$ref"].endswith("/Error")
    item_id = next(p for p in vote["parameters"] if p["name"] == "item_id")
    assert item_id["schema"]["type"] == "integer"
    filters = {p["name"] for p in paths["/api/v1/reviews/"]["get"]["parameters"]}
    assert {"status", "kind", "use_case", "awaiting_my_opinion"} <= filters
    components = schema["components"]["schemas"]
    request = components["OpinionGiveRequest"]
    assert request["required"] == ["verdict"]
    assert request["properties"]["conditions"]["items"]["type"] == "string"
    assert components["ReviewerRoleEnum"]["enum"] == ["dpo", "rssi"]
    assert components["ReviewStatusEnum"]["enum"] == ["opinions", "committee", "decided", "superseded", "withdrawn"]
    assert components["OpinionVerdictEnum"]["enum"] == ["favourable", "favourable_with_conditions", "unfavourable"]
    assert components["CommitteeOpinionEnum"]["enum"][-1] == "postponed"
    assert components["MemberVoteEnum"]["enum"][-1] == "abstain"
    assert components["SessionStatusEnum"]["enum"] == ["planned", "open", "closed"]
    assert set(components["ReviewDetail"]["properties"]) >= {"snapshot", "changes", "opinions", "agenda_items"}


def test_the_schema_is_valid_openapi_and_generates_without_warnings(db):
    """A warning (an enum named by accident, a field of unknown type) makes a vague schema for integrators."""
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert not GENERATOR_STATS._warn_cache, list(GENERATOR_STATS._warn_cache)
    assert not GENERATOR_STATS._error_cache, list(GENERATOR_STATS._error_cache)
    validate_schema(schema)


def test_the_schema_documents_the_documents(users, client_for):
    schema = yaml.safe_load(client_for(users["agent"]).get("/api/schema/").content)
    paths = schema["paths"]
    assert set(paths["/api/v1/documents/"]) - {"parameters"} == {"get", "post"}
    assert set(paths["/api/v1/documents/{id}/"]) - {"parameters"} == {"get"}
    assert set(paths["/api/v1/documents/{id}/download/"]) - {"parameters"} == {"get"}
    ask = paths["/api/v1/documents/"]["post"]
    assert {"202", "400", "403", "404", "409"} <= set(ask["responses"])
    assert ask["responses"]["202"]["content"]["application/json"]["schema"]["$ref"].endswith("/Document")
    filters = {p["name"] for p in paths["/api/v1/documents/"]["get"]["parameters"]}
    assert {"kind", "status"} <= filters
    download = paths["/api/v1/documents/{id}/download/"]["get"]["responses"]
    assert download["200"]["content"]["application/pdf"]["schema"] == {"type": "string", "format": "binary"}
    assert {"404", "409"} <= set(download)
    components = schema["components"]["schemas"]
    assert components["DocumentKindEnum"]["enum"] == [
        "charter",
        "use_case_report",
        "annual_report",
        "committee_minutes",
    ]
    assert components["DocumentStatusEnum"]["enum"] == ["pending", "running", "ready", "failed"]
    assert components["DocumentRequestRequest"]["required"] == ["kind"]
