"""The site layout: log-in, log-out, navigation, and no inline scripts."""

import re

import pytest
from django.urls import reverse

from duban.conftest import PASSWORD
from duban.plans.tests import factories


@pytest.fixture(autouse=True)
def english(settings):
    """Assert on the English msgids, whatever the zh-Hans catalogue says."""
    settings.LANGUAGE_CODE = "en"


def test_login_page_is_public_and_logs_in(client, scjg_reporter):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert 'name="username"' in response.text
    response = client.post(reverse("login"), {"username": "scjg_reporter", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")  # 我的待办


def test_login_with_wrong_password_says_so(client, scjg_reporter):
    response = client.post(reverse("login"), {"username": "scjg_reporter", "password": "wrong-password"})
    assert response.status_code == 200
    assert "alert--error" in response.text


def test_logout_is_a_post_form(client, office):
    client.force_login(office)
    text = client.get(reverse("plans:overview")).text
    assert re.search(r'<form method="post" action="/logout/"', text)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("plans:overview")).status_code == 302


def test_nav_shows_user_role_and_unit(client, scjg_reporter):
    client.force_login(scjg_reporter)
    text = client.get(reverse("plans:overview")).text
    assert "scjg_reporter" in text
    assert "unit reporter" in text
    assert "区市场监管局" in text


def test_admin_link_only_for_staff(client, office, admin_user):
    client.force_login(office)
    assert reverse("admin:index") not in client.get(reverse("plans:overview")).text
    client.force_login(admin_user)
    assert reverse("admin:index") in client.get(reverse("plans:overview")).text


def test_nav_marks_the_current_section(client, office):
    client.force_login(office)
    text = client.get(reverse("plans:unit_list")).text
    assert f'<a href="{reverse("plans:unit_list")}" aria-current="page">' in text


def test_nav_links_to_the_calendar(client, office):
    client.force_login(office)
    assert '<a href="/calendar/">Work calendar</a>' in client.get(reverse("plans:overview")).text


def test_no_page_has_an_inline_script(client, admin_user, db):
    m = factories.small_plan()
    client.force_login(admin_user)
    urls = [reverse("plans:overview"), m.plan.get_absolute_url(), m.costs.get_absolute_url(), reverse("plans:measure_list"),
            m.a1_2.get_absolute_url(), reverse("plans:unit_list"), m.scjg.get_absolute_url()]
    client.logout()
    urls.append(reverse("login"))
    client.force_login(admin_user)
    for url in urls:
        text = client.get(url).text if url != reverse("login") else client.__class__().get(url).text
        scripts = re.findall(r"<script\b[^>]*>", text)
        assert scripts and all("src=" in tag for tag in scripts), url
        assert " on" not in "".join(re.findall(r"<[^>]+\son\w+=", text)), url


@pytest.mark.parametrize("asset", ["duban/duban.css", "duban/duban.js", "duban/favicon.svg", "vendor/htmx/htmx.min.js"])
def test_layout_assets_are_found_by_staticfiles(asset):
    from django.contrib.staticfiles import finders

    assert finders.find(asset), asset
