"""A database that is down or never answers: every answer is a 503 that says so, within seconds.

Each case runs the app in a process of its own whose DATABASE_URL points at a port where nothing
listens, or at a server that accepts connections and never says a word (as a hung database does).
"""

import json
import socket
import threading

import pytest

from tests.app_process import requests_against


def unused_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def silent_server():
    """A server that accepts connections and never answers, as a database that hangs does."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held, stop = [], threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"postgres://root@127.0.0.1:{listener.getsockname()[1]}/carsi"
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    listener.close()


def test_with_the_database_down_healthz_pages_and_api_answer_503(tmp_path):
    down = f"postgres://root@127.0.0.1:{unused_port()}/carsi"
    answers = requests_against(down, "/healthz", "/countries/", "/api/v1/allocations/totals/")
    assert answers["/healthz"]["status"] == 503
    assert json.loads(answers["/healthz"]["body"]) == {"status": "error", "database": "unavailable"}
    assert answers["/countries/"]["status"] == 503
    assert "Try again in a moment" in answers["/countries/"]["body"]
    api = answers["/api/v1/allocations/totals/"]
    assert (api["status"], api["retry_after"]) == (503, "10")
    assert "not answering" in json.loads(api["body"])["detail"]


def test_a_csv_export_with_the_database_down_is_a_503_not_a_header_alone():
    down = f"postgres://root@127.0.0.1:{unused_port()}/carsi"
    answer = requests_against(down, "/api/v1/allocations/?format=csv")["/api/v1/allocations/?format=csv"]
    assert answer["status"] == 503
    assert not answer["body"].startswith("id,fiscal_year")


def test_healthz_answers_503_within_its_timeout_when_the_database_never_answers(silent_server):
    # The second request comes while the first probe still waits on the silent server: no second
    # thread is left waiting beside it, and the answer is immediate.
    answers = requests_against(silent_server, "/healthz", "/healthz?again")
    first, second = answers["/healthz"], answers["/healthz?again"]
    assert (first["status"], second["status"]) == (503, 503)
    assert first["seconds"] < 2  # DJANGO_HEALTHZ_TIMEOUT=1, not the connection's own wait
    assert second["seconds"] < 0.5


def test_a_page_gives_up_on_a_database_that_never_answers(silent_server):
    answer = requests_against(silent_server, "/countries/GT/")["/countries/GT/"]
    assert answer["status"] == 503
    assert answer["seconds"] < 5  # DJANGO_DB_CONNECT_TIMEOUT=2
