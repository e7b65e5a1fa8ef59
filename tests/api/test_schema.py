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
    assert enums["AiActRiskEnum"]["enum"] == ["prohibited", "high", "limited", "minimal"]
    assert "5a" in enums["AnnexIIIPointEnum"]["enum"]
    assert "sex_life_orientation" in enums["PersonalDataCategoryEnum"]["enum"]
    assert enums["UseCaseStatusEnum"]["enum"][0] == "draft"


def test_the_interactive_docs_load_their_assets_locally(users, client_for):
    response = client_for(users["agent"]).get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "cdn.jsdelivr.net" not in html and "unpkg.com" not in html
