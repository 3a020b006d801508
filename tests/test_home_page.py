"""The first page: a plain list of functions and aliases (the house issue's "done when")."""

import pytest

from invocations.services.demo import demo_seed

pytestmark = pytest.mark.django_db


def test_an_empty_account_explains_how_to_get_the_demo(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"No functions yet." in response.content
    assert b"seed_demo" in response.content


def test_the_seeded_account_lists_functions_versions_and_alias_weights(client):
    demo_seed()
    html = client.get("/").content.decode()
    for name in ("checkout", "order-worker", "clickstream-processor", "thumbnailer"):
        assert name in html
    assert "<strong>prod</strong> → 1 + v2 at 5%" in html
    assert "<strong>dev</strong> → $LATEST" in html
    assert "Read-only view" in html


def test_staff_see_the_admin_link_instead_of_the_read_only_notice(admin_client):
    html = admin_client.get("/").content.decode()
    assert "Read-only view" not in html
    assert 'href="/admin/"' in html


def test_static_files_and_the_admin_styles_are_served_without_collectstatic(client):
    assert client.get("/static/invocations/css/base.css").status_code == 200
    assert client.get("/static/admin/css/base.css").status_code == 200
