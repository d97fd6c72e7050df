import pytest

from analytics import store


@pytest.fixture
def con(tmp_db):
    c = store.connect(tmp_db)
    yield c
    c.close()
