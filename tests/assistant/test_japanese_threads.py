"""The SudachiPy dictionary is loaded once per process, even when the first requests arrive together."""

from __future__ import annotations

import threading

from assistant import japanese


def test_concurrent_first_calls_share_one_dictionary(monkeypatch):
    monkeypatch.setattr(japanese, "_loaded", [])
    start = threading.Barrier(6)
    seen: list[int] = []

    def first_call() -> None:
        start.wait()
        seen.append(id(japanese._dictionary()))

    threads = [threading.Thread(target=first_call) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(seen) == 6 and len(set(seen)) == 1
