"""The demo topologies the JS unit tests lay out (tests/js/fixtures/topologies.json) are what the demo produces.

The fixture is committed so that `node --test` runs on its own, offline and without a database; this test keeps it
honest: it seeds the real demo, reads every demo function's topology through the dashboard's public JSON endpoint
and fails if the committed file differs. `LAMBDAVIZ_WRITE_FIXTURES=1` rewrites the file instead.
"""

import json
import os
import re
from pathlib import Path

import pytest

from invocations.services.demo import demo_seed

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).resolve().parent.parent / "js" / "fixtures" / "topologies.json"
DEMO_FUNCTIONS = ("checkout", "order-worker", "clickstream-processor", "thumbnailer", "failure-alerts", "job-runner")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def stable(value, names: dict[str, str]):
    """The topology with what differs from one seeding to the next (mapping UUIDs) replaced by stable names."""
    if isinstance(value, dict):
        return {key: stable(item, names) for key, item in value.items()}
    if isinstance(value, list):
        return [stable(item, names) for item in value]
    if isinstance(value, str):
        return UUID.sub(lambda m: names.setdefault(m.group(0), f"uuid-{len(names)}"), value)
    return value


def demo_topologies(client) -> dict:
    demo_seed()
    topologies = {}
    for name in DEMO_FUNCTIONS:
        response = client.get(f"/dashboard/api/functions/{name}/topology")
        assert response.status_code == 200, response.content
        topologies[name] = stable(response.json(), {})
    return topologies


def test_the_committed_demo_topologies_are_what_the_demo_produces(client):
    produced = json.dumps(demo_topologies(client), indent=2, sort_keys=True) + "\n"
    if os.environ.get("LAMBDAVIZ_WRITE_FIXTURES") == "1":
        FIXTURE.write_text(produced)
    assert FIXTURE.read_text() == produced, (
        f"{FIXTURE} is not what the demo produces: run this test with LAMBDAVIZ_WRITE_FIXTURES=1 and commit the file"
    )
