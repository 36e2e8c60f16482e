"""The explorer's signposts panel: the endpoint gives the library's answer, the page has the
panel, and a bad date is refused with a plain message."""

import pytest
from fastapi.testclient import TestClient

import ailead
from ailead.web import Limits, create_app


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(Limits(max_samples=200))) as c:
        yield c


def test_the_endpoint_gives_the_library_answer(client):
    response = client.get("/api/signposts")
    assert response.status_code == 200, response.text
    got = response.json()
    want = ailead.signposts()
    assert got["probabilities"] == pytest.approx(want.probabilities)
    assert got["most_informative"] == want.most_informative()
    indicators = {r["indicator"] for r in got["fans"]}
    assert {r["series"] for r in got["observations"] if r["origin"] == "signposts"} <= indicators


def test_the_page_has_the_panel_and_its_script(client):
    page = client.get("/").text
    assert 'id="signposts-panel"' in page and "/static/signposts.js" in page
    script = client.get("/static/signposts.js")
    assert script.status_code == 200 and "/api/signposts" in script.text


def test_a_bad_date_is_refused_plainly(client):
    response = client.get("/api/signposts", params={"as_of": "someday"})
    assert 400 <= response.status_code < 500
    assert "--as-of: value 'someday' is not allowed" in response.text
