from ecopark.store import events


def test_listeners_hear_each_event_once_in_order() -> None:
    heard: list[tuple[str, str]] = []

    def first(session, event):  # type: ignore[no-untyped-def]
        heard.append(("first", event.kind))

    def second(session, event):  # type: ignore[no-untyped-def]
        heard.append(("second", event.kind))

    events.listen(first)
    events.listen(first)  # twice: still once
    events.listen(second)
    try:
        events.emit(None, events.Event("park_year.approved", "alice", park_id=1, year=2024))  # type: ignore[arg-type]
    finally:
        events.unlisten(first)
        events.unlisten(second)
    assert heard == [("first", "park_year.approved"), ("second", "park_year.approved")]
    assert first not in events.listeners()
