"""The URL matrix's neighbour office on list pages and exports (issue 19, point 2).

The matrix asks each role whether a page answers; for an office of another region a list page or an
export does answer (its own region's list) — so here every such page, with every object of the world
made, is read as the neighbour office and must show none of the world: no plan, measure, complaint,
review, import batch, token or meeting of the region next door, in the page or the file.
"""

import pytest
from django.test import Client
from django.urls import get_resolver

from duban.tests_security.url_rules import PUBLIC, STAFF, rule_for

from .test_url_matrix import names_an_object, path_for
from .urlwalk import walk

URLS = [u for u in walk(get_resolver().url_patterns) if rule_for(u.key) and rule_for(u.key).method == "get"
        and rule_for(u.key).access not in (PUBLIC, STAFF) and not u.key.startswith("admin")]


def markers(world):
    """Strings only the world's region has, with every object made."""
    complaint, review, batch, token = world.complaint, world.review, world.review_import, world.api_token
    world.report, world.meeting, world.circular  # noqa: B018 — made, so that a leak would show them
    return {
        world.plan.title, "推行企业开办全程网办", "压缩办税时间", complaint.company_name, complaint.formatted_code,
        complaint.tracking_code, review.comment, batch.file_name, token.name, token.prefix, "matrix office",
    }


@pytest.mark.parametrize("url", URLS, ids=lambda u: u.key)
def test_the_neighbour_office_meets_nothing_of_the_world_on_lists_and_exports(url, world):
    rule = rule_for(url.key)
    world.url = url
    path = world.path = path_for(url, rule, world)
    if names_an_object(rule, world):
        pytest.skip("names one of the world's objects: the URL matrix expects 404 for the neighbour office")
    found = markers(world)
    neighbour = world.cast["neighbour_office"]
    client = Client()
    client.force_login(neighbour)
    headers = rule.headers(world, neighbour) if rule.headers else {}
    response = client.get(path, headers=headers)
    if response.status_code != 200:
        return  # refused: nothing shown
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8", errors="replace")
    if body[:2] == b"PK":  # an Office file: every part's XML text (.xlsx cells, .docx paragraphs)
        import io
        import zipfile

        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            text = "\n".join(archive.read(name).decode("utf-8", errors="replace") for name in archive.namelist()
                              if name.endswith(".xml"))
    leaked = sorted(marker for marker in found if marker and marker in text)
    assert not leaked, f"{url.key} {path} shows the other region's {leaked}"
