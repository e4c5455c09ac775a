from unittest import mock

import pytest
from django.db.utils import OperationalError

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_log_in(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok\n"
    assert "no-cache" in response.headers["Cache-Control"]


def test_healthz_reports_a_dead_database(client):
    dead = mock.Mock(**{"cursor.side_effect": OperationalError("down")})
    with mock.patch("duban.core.views.connection", dead):
        response = client.get("/healthz")
    assert response.status_code == 503
