import threading

import pytest
from django.db import connection

from gongkai.core.sequences import current_value, next_value


@pytest.mark.django_db
def test_sequences_count_from_one_per_key():
    assert [next_value("a"), next_value("a"), next_value("b"), next_value("a")] == [1, 2, 1, 3]
    assert current_value("a") == 3
    assert current_value("missing") == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_never_get_the_same_number():
    results: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker():
        try:
            for _ in range(15):
                value = next_value("concurrent")
                with lock:
                    results.append(value)
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(results) == list(range(1, 91))
