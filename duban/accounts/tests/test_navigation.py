import pytest
from django.urls import resolve, reverse

from duban.accounts.navigation import SECTIONS, section_of
from duban.core.notify import notify


def nav(client):
    return [item["key"] for item in client.get("/notifications/").context["nav_items"]]


@pytest.mark.django_db
def test_each_role_sees_the_sections_it_may_open(client, office, scjg_reporter, leader_user):
    client.force_login(office)
    assert {"plans", "progress", "kpi", "hotline", "meetings", "supervision", "assessment"} <= set(nav(client))
    client.force_login(scjg_reporter)
    keys = nav(client)
    assert "progress" in keys and "plans" in keys
    assert not {"meetings", "supervision", "assessment"} & set(keys)
    client.force_login(leader_user)
    assert "leaders" in nav(client)


@pytest.mark.django_db
def test_home_is_each_roles_to_do_page(client, office, scjg_reporter, leader_user):
    assert client.get("/").status_code == 302 and "/login/" in client.get("/")["Location"]
    for user in (scjg_reporter, leader_user, office):
        client.force_login(user)
        response = client.get("/")
        assert response.status_code == 200
        assert response.templates[0].name == "todo/home.html"
        assert response.context["nav_items"][0]["key"] == response.context["nav_current"] == "todo"


@pytest.mark.django_db
def test_notifications_are_private_and_marked_read(client, scjg_reporter, tax_reporter):
    notify([scjg_reporter], "k1", "请填报举措2-1进展", url="/progress/")
    client.force_login(tax_reporter)
    assert "请填报" not in client.get("/notifications/").content.decode()
    client.force_login(scjg_reporter)
    assert client.get("/plans/").context["unread_notifications"] == 1
    assert "请填报举措2-1进展" in client.get("/notifications/").content.decode()
    assert client.get("/plans/").context["unread_notifications"] == 0


@pytest.mark.parametrize("key, url_name", [(key, url_name) for key, _label, url_name, _action in SECTIONS])
def test_each_sections_own_page_is_marked_as_current(key, url_name):
    assert section_of(resolve(reverse(url_name))) == key


@pytest.mark.parametrize("url, key", [
    ("/supervision/meetings/5/", "meetings"), ("/supervision/leaders/1/", "leaders"),
    ("/supervision/circulars/3/", "supervision"), ("/plans/measures/187/", "measures"),
])
def test_pages_inside_a_section(url, key):
    assert section_of(resolve(url)) == key
