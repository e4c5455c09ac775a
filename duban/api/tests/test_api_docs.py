import pytest

pytestmark = pytest.mark.django_db


def test_interactive_docs_use_local_assets(client):
    response = client.get("/api/v1/docs")
    html = response.content.decode()
    assert response.status_code == 200
    assert "/static/ninja/swagger-ui-bundle.js" in html and "cdn" not in html.lower()
