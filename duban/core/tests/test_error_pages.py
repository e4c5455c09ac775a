"""403, 404 and 500 in the site's layout and language, with a way back, as they are with DEBUG off."""

import pytest
from django.test import override_settings

pytestmark = [pytest.mark.django_db, pytest.mark.zh_hans]


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False


def test_a_reporter_following_a_link_to_an_office_page_is_told_in_chinese(client, scjg_reporter):
    client.force_login(scjg_reporter)
    response = client.get("/supervision/meetings/")
    assert response.status_code == 403
    text = response.content.decode()
    assert "您无权打开此页面" in text
    assert "Forbidden" not in text
    assert 'href="/"' in text and "返回我的待办" in text
    assert 'class="site-header"' in text  # the site's layout, with its menu


def test_a_missing_page(client, office):
    client.force_login(office)
    response = client.get("/plans/measures/999999/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "页面不存在" in text and "Not Found" not in text
    assert "返回我的待办" in text


def test_a_missing_page_signed_out_offers_the_log_in(client):
    response = client.get("/public/no-such-page/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "登录" in text and "返回我的待办" not in text


@override_settings(ROOT_URLCONF="duban.core.tests.error_urls")
def test_a_server_error(client, office):
    client.raise_request_exception = False
    client.force_login(office)
    response = client.get("/broken-for-test/")
    assert response.status_code == 500
    text = response.content.decode()
    assert "系统出错了" in text and "Server Error" not in text
    assert 'href="/"' in text


def test_a_form_sent_without_its_token(office):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(office)
    response = client.post("/logout/")
    assert response.status_code == 403
    text = response.content.decode()
    assert "表单未能提交" in text and "CSRF" not in text
