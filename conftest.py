import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the seed data of fixtures/."""
    with django_db_blocker.unblock():
        call_command("load_seed", verbosity=0)


@pytest.fixture
def admin_client_logged_in(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", "admin@example.org", "pw-for-tests-only")
    client.force_login(user)
    return client


@pytest.fixture
def site(live_server):
    """The live server with the seed data (a transactional test starts from an empty database), at
    127.0.0.1: for the browser tests and for the scripts the docs show."""
    call_command("load_seed", verbosity=0)
    return live_server.url.replace("localhost", "127.0.0.1")


@pytest.fixture(autouse=True)
def _forget_cached_answers():
    """Each test starts with no rendered answers kept. A test's transaction rolls back its writes and,
    with them, the data version they moved: answers rendered inside it must not outlive it."""
    from django.core.cache import caches

    caches["responses"].clear()
