import threading

import pytest
from django.db import connection

from gongkai.core.models import Organization
from gongkai.disclosure.indexnumber import allocate


@pytest.mark.django_db(transaction=True)
def test_index_numbers_never_repeat_under_concurrent_allocation():
    # Created directly: a transactional test must leave no (append-only) audit entries.
    unit = Organization.objects.create(code="t-unit", name="测试局", kind="department",
                                       credit_code="11370104MB0000001X")
    results, errors = [], []
    lock = threading.Lock()
    start = threading.Barrier(6)

    def worker():
        try:
            start.wait()
            got = [allocate(unit, 2026) for _ in range(10)]
            with lock:
                results.extend(got)
        except Exception as exc:  # surfaced by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(results) == 60 and len(set(results)) == 60
    serials = sorted(int(r.rsplit("-", 1)[1]) for r in results)
    assert serials == list(range(1, 61))
    assert all(r.startswith(f"{unit.credit_code}/2026-") for r in results)
    assert allocate(unit, 2027).endswith("/2027-00001")
