"""kgen-events against a running sandbox: files, plans, applies, ids, credentials, faults."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kgen_pygame.loyalty.cli import Exit
from tests.loyalty.conftest import Run, write
from tests.loyalty.proxy import FailingProxy

THREE = """\
[events.first-1000]
name = "First 1,000 points"
description = "Reach 1,000 points"
reward_amount = "5"

[events.combo-10]
name = "Combo x10"
reward_amount = 10

[events.flawless]
name = "Flawless round"
reward_amount = 2.50
is_active = false
"""

Runner = Callable[..., Run]


def by_type(events: list[Any]) -> dict[str, Any]:
    return {event.event_type: event for event in events}


# -- the file --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('[events.a]\nname = "A"\nreward_amount = \n', 3, "not TOML"),
        ('[events.a]\nname = "A"\nreward_amount = "5"\nrewrd = 1\n', 4, "unknown key 'rewrd'"),
        ('# x\n\n[events.a]\nname = "A"\n', 3, "reward_amount is missing"),
        ('[events.a]\nname = "A"\nreward_amount = "-1"\n', 3, "reward_amount"),
        ('[events.a]\nname = "A"\nreward_amount = true\n', 3, "reward_amount"),
        ('[events.a]\nname = ""\nreward_amount = "1"\n', 2, "name must not be empty"),
        ('[events."has space"]\nname = "A"\nreward_amount = "1"\n', 1, "eventType"),
        ('[events.a]\nname = "A"\nreward_amount = "1"\nis_active = "yes"\n', 4, "is_active"),
        ("[events]\n", 1, "declares no event"),
        ('[other]\nx = 1\n', None, 'exactly one table, "events"'),
    ],
)
def test_a_bad_toml_file_is_refused_with_its_line_and_nothing_is_sent(
    tmp_path: Path, run: Runner, events_env: Callable[..., None], text: str,
    line: int | None, words: str,
) -> None:
    # A port nobody listens on: a request would fail with exit 1, not 2.
    events_env("http://127.0.0.1:9")
    path = write(tmp_path / "events.toml", text)
    for argv in (("check", str(path)), ("apply", str(path)), ("apply", str(path), "--dry-run")):
        result = run(*argv)
        assert result.code == Exit.USAGE, result
        where = f"{path}:{line}:" if line is not None else f"{path}:"
        lines = result.err.splitlines()
        assert any(x.strip().startswith(where) and words in x for x in lines), result.err
        assert "target" not in result.err


def test_every_problem_of_a_file_is_listed_each_with_its_line(
    tmp_path: Path, run: Runner
) -> None:
    path = write(tmp_path / "events.toml", '[events.a]\nname = "A"\n\n[events.b]\n'
                 'name = "B"\nreward_amount = "1"\ncolour = "red"\n')
    result = run("--json", "check", str(path))
    assert result.code == Exit.USAGE
    assert result.json()["problems"] == [
        f"{path}:1: event 'a': reward_amount is missing",
        f"{path}:7: event 'b': unknown key 'colour' (name, reward_amount, description, "
        "is_active, activity_trace_enabled, activity_trace_activity_id)",
    ]


def test_a_bad_json_file_names_its_line(tmp_path: Path, run: Runner) -> None:
    path = write(tmp_path / "events.json",
                 '{"events": {\n  "a": {"name": "A",\n  "reward_amount": "x"}}}\n')
    result = run("check", str(path))
    assert result.code == Exit.USAGE
    assert f"{path}:3: event 'a': reward_amount" in result.err
    broken = write(tmp_path / "broken.json", '{"events": {\n  "a": {,}}}\n')
    result = run("check", str(broken))
    assert result.code == Exit.USAGE and f"{broken}:2: not JSON" in result.err
    other = write(tmp_path / "events.yaml", "events: {}\n")
    assert run("check", str(other)).code == Exit.USAGE
    assert run("check", str(tmp_path / "missing.toml")).code == Exit.USAGE


def test_a_json_file_applies_like_the_toml_one(
    tmp_path: Path, run: Runner, events_env: Callable[..., None],
    server_events: Callable[[], list[Any]],
) -> None:
    path = write(tmp_path / "events.json",
                 '{"events": {"a": {"name": "A", "reward_amount": 1.25}}}')
    assert run("apply", str(path)).code == Exit.OK
    [event] = server_events()
    assert (event.event_type, str(event.reward_amount), event.is_active) == ("a", "1.25", True)


# -- plans and applies -----------------------------------------------------------------


def test_dry_run_prints_the_plan_and_changes_nothing(
    tmp_path: Path, run: Runner, events_env: Callable[..., None],
    server_events: Callable[[], list[Any]],
) -> None:
    path = write(tmp_path / "events.toml", THREE)
    result = run("apply", str(path), "--dry-run")
    assert result.code == Exit.OK, result
    assert server_events() == []
    rows = [line.split()[:2] for line in result.out.splitlines()[1:4]]
    assert rows == [["create", "first-1000"], ["create", "combo-10"], ["create", "flawless"]]
    assert "plan: 3 create, 0 update, 0 unchanged, 0 only-on-server" in result.out
    assert result.err.startswith("target http://127.0.0.1:")


def test_apply_creates_then_a_rerun_is_unchanged_then_an_edit_updates_in_place(
    tmp_path: Path, run: Runner, events_env: Callable[..., None],
    server_events: Callable[[], list[Any]],
) -> None:
    path = write(tmp_path / "events.toml", THREE)
    first = run("--json", "apply", str(path))
    assert first.code == Exit.OK, first
    made = by_type(server_events())
    assert set(made) == {"first-1000", "combo-10", "flawless"}
    assert str(made["flawless"].reward_amount) == "2.5" and not made["flawless"].is_active
    assert first.json()["event_ids"] == {key: event.event_id for key, event in made.items()}

    again = run("--json", "apply", str(path))
    assert [row["action"] for row in again.json()["plan"]] == ["unchanged"] * 3
    assert again.json()["done"] == []

    write(path, THREE.replace('reward_amount = 10', 'reward_amount = "12"'))
    plan = run("--json", "apply", str(path), "--dry-run").json()["plan"]
    assert [(row["action"], row["changes"]) for row in plan] == [
        ("unchanged", []), ("update", ["reward_amount"]), ("unchanged", [])]
    assert run("apply", str(path)).code == Exit.OK
    after = by_type(server_events())
    assert str(after["combo-10"].reward_amount) == "12"
    assert after["combo-10"].event_id == made["combo-10"].event_id
    assert len(server_events()) == 3


def test_prune_asks_first_and_deletes_only_what_the_file_lost(
    tmp_path: Path, run: Runner, events_env: Callable[..., None],
    server_events: Callable[[], list[Any]],
) -> None:
    path = write(tmp_path / "events.toml", THREE)
    assert run("apply", str(path)).code == Exit.OK
    gone = by_type(server_events())["flawless"].event_id
    write(path, THREE.split("[events.flawless]")[0])
    plan = run("apply", str(path), "--dry-run")
    assert f"only-on-server (kept; --prune deletes)  flawless    {gone}" in plan.out
    kept = run("apply", str(path))  # without --prune: nothing deleted
    assert kept.code == Exit.OK and len(server_events()) == 3

    refused = run("apply", str(path), "--prune", answer="n\n")
    assert refused.code == Exit.NOT_CONFIRMED
    assert "delete 1 event(s) the file does not have" in refused.err
    assert len(server_events()) == 3
    assert run("apply", str(path), "--prune", answer="").code == Exit.NOT_CONFIRMED

    done = run("apply", str(path), "--prune", answer="y\n")
    assert done.code == Exit.OK, done
    assert set(by_type(server_events())) == {"first-1000", "combo-10"}
    assert f"done: delete flawless ({gone})" in done.out


def test_list_show_and_delete_by_id(
    tmp_path: Path, run: Runner, events_env: Callable[..., None],
    server_events: Callable[[], list[Any]],
) -> None:
    assert run("list").out.strip() == "no rewardable events"
    run("apply", str(write(tmp_path / "events.toml", THREE)))
    listed = run("--json", "list").json()
    assert {row["event_type"] for row in listed} == {"first-1000", "combo-10", "flawless"}
    assert [row["event_type"] for row in run("--json", "list", "--inactive").json()] == [
        "flawless"]
    target = next(row for row in listed if row["event_type"] == "combo-10")
    shown = run("--json", "show", target["event_id"]).json()
    assert shown == target and shown["reward_amount"] == "10"
    assert "combo-10" in run("show", target["event_id"]).out

    assert run("delete", target["event_id"], answer="no\n").code == Exit.NOT_CONFIRMED
    assert len(server_events()) == 3
    deleted = run("delete", target["event_id"], "--yes")
    assert deleted.code == Exit.OK and len(server_events()) == 2


def test_unknown_ids_are_exit_5_and_change_nothing(
    tmp_path: Path, run: Runner, events_env: Callable[..., None],
    server_events: Callable[[], list[Any]],
) -> None:
    run("apply", str(write(tmp_path / "events.toml", THREE)))
    for argv in (("show", "no-such-event"), ("delete", "no-such-event", "--yes")):
        result = run(*argv)
        assert result.code == Exit.NOT_FOUND
        assert "404 REWARDABLE_EVENT_NOT_FOUND" in result.err
    as_json = run("--json", "show", "no-such-event")
    assert as_json.json()["exit"] == Exit.NOT_FOUND
    assert len(server_events()) == 3


# -- target and credentials ------------------------------------------------------------


def test_a_wrong_secret_is_exit_3_and_never_printed(
    tmp_path: Path, run: Runner, events_env: Callable[..., None],
    server_events: Callable[[], list[Any]],
) -> None:
    events_env(KGEN_CLIENT_SECRET="wrong-secret-value")
    path = write(tmp_path / "events.toml", THREE)
    for argv in (("list",), ("apply", str(path)), ("delete", "x", "--yes")):
        result = run(*argv)
        assert result.code == Exit.CREDENTIALS, result
        assert "401" in result.err
        assert "wrong-secret-value" not in result.err + result.out
    assert server_events() == []


@pytest.mark.parametrize(
    ("env", "code", "words"),
    [
        ({"KGEN_CLIENT_SECRET": None}, Exit.CREDENTIALS,
         "no client secret: set KGEN_CLIENT_SECRET"),
        ({"KGEN_CLIENT_ID": None}, Exit.CREDENTIALS, "KGEN_CLIENT_ID is not set"),
        ({"KGEN_BASE_URL": None}, Exit.USAGE, "no target: set KGEN_BASE_URL"),
        ({"KGEN_API": "v1"}, Exit.USAGE, "only on the current generation"),
        ({"KGEN_BASE_URL": "http://example.com"}, Exit.USAGE, "https://"),
    ],
)
def test_missing_or_wrong_settings_name_what_is_wrong_before_any_request(
    run: Runner, events_env: Callable[..., None],
    env: dict[str, str | None], code: Exit, words: str,
) -> None:
    events_env(**env)
    result = run("list")
    assert result.code == code and words in result.err, result


def test_the_secret_can_come_from_the_keyring(
    run: Runner, events_env: Callable[..., None], monkeypatch: pytest.MonkeyPatch
) -> None:
    import keyring
    from keyring.backend import KeyringBackend

    from kgen_pygame.sandbox import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET

    class MemoryKeyring(KeyringBackend):
        priority = 1  # type: ignore[assignment]
        store = {("kgen-events", DEFAULT_CLIENT_ID): DEFAULT_CLIENT_SECRET}

        def get_password(self, service: str, username: str) -> str | None:
            return self.store.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            raise NotImplementedError

        def delete_password(self, service: str, username: str) -> None:
            raise NotImplementedError

    events_env(KGEN_CLIENT_SECRET=None)
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    try:
        result = run("list")
    finally:
        keyring.set_keyring(previous)
    assert result.code == Exit.OK, result
    assert "secret from the keyring" in result.err


def test_the_secret_is_not_an_argument(run: Runner) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run("--client-secret", "s", "list")
    assert exit_info.value.code == Exit.USAGE


def test_sandbox_flag_starts_a_sandbox_on_that_store_explicitly(
    tmp_path: Path, run: Runner, events_env: Callable[..., None]
) -> None:
    events_env(KGEN_BASE_URL=None, KGEN_CLIENT_ID=None, KGEN_CLIENT_SECRET=None)
    store = tmp_path / "game-sandbox.sqlite3"
    path = write(tmp_path / "events.toml", THREE)
    first = run("--sandbox", str(store), "apply", str(path))
    assert first.code == Exit.OK, first
    assert f"secret from the sandbox on {store}" in first.err
    again = run("--sandbox", str(store), "--json", "list")
    assert len(again.json()) == 3  # the store kept them
    typo = run("--sandbox", str(tmp_path / "no-such-folder" / "s.sqlite3"), "list")
    assert typo.code == Exit.USAGE and "does not exist" in typo.err
    assert not (tmp_path / "no-such-folder").exists()


# -- a server failing halfway ----------------------------------------------------------


def test_a_server_failing_halfway_prints_done_and_not_done_and_a_rerun_finishes(
    tmp_path: Path, run: Runner, events_env: Callable[..., None], sandbox: Any,
    server_events: Callable[[], list[Any]],
) -> None:
    path = write(tmp_path / "events.toml", THREE)
    with FailingProxy(sandbox.url, lambda method, _path, before: "refuse" if method == "PUT"
                      and before == 1 else None) as proxy:
        events_env(proxy.url)
        broken = run("apply", str(path))
        assert [(m, s) for m, _p, s in proxy.seen] == [("GET", 200), ("PUT", 201), ("PUT", 503)]
    assert broken.code == Exit.PARTIAL, broken
    lines = broken.err.splitlines()
    assert any(line.startswith("done: create first-1000 (") for line in lines)
    assert any(line.startswith("FAILED: create combo-10: ") and "503" in line for line in lines)
    assert "not done: create flawless" in lines
    assert "1 change(s) made, 2 not made: run the same apply again to finish" in lines
    assert set(by_type(server_events())) == {"first-1000"}

    events_env()
    plan = run("--json", "apply", str(path), "--dry-run").json()["plan"]
    assert [row["action"] for row in plan] == ["unchanged", "create", "create"]
    finished = run("apply", str(path))
    assert finished.code == Exit.OK, finished
    events = server_events()
    assert sorted(event.event_type for event in events) == ["combo-10", "first-1000", "flawless"]


def test_a_lost_answer_to_a_create_does_not_create_twice_on_rerun(
    tmp_path: Path, run: Runner, events_env: Callable[..., None], sandbox: Any,
    server_events: Callable[[], list[Any]],
) -> None:
    path = write(tmp_path / "events.toml", THREE)
    # The sandbox makes the first event, but the tool hears a 503: it cannot know.
    with FailingProxy(sandbox.url, lambda method, _path, before: "lose" if method == "PUT"
                      and before == 0 else None) as proxy:
        events_env(proxy.url)
        assert run("apply", str(path)).code == Exit.REQUEST_FAILED
    assert set(by_type(server_events())) == {"first-1000"}
    events_env()
    plan = run("--json", "apply", str(path)).json()["plan"]
    assert plan[0]["action"] == "unchanged"  # found again by its eventType
    assert sorted(event.event_type for event in server_events()) == [
        "combo-10", "first-1000", "flawless"]


def test_json_report_of_a_partial_apply(
    tmp_path: Path, run: Runner, events_env: Callable[..., None], sandbox: Any
) -> None:
    path = write(tmp_path / "events.toml", THREE)
    with FailingProxy(sandbox.url, lambda method, _path, before: "refuse" if method == "PUT"
                      and before == 2 else None) as proxy:
        events_env(proxy.url)
        report = run("--json", "apply", str(path)).json()
    assert report["exit"] == Exit.PARTIAL
    assert [row["event_type"] for row in report["done"]] == ["first-1000", "combo-10"]
    assert [row["event_type"] for row in report["not_done"]] == ["flawless"]
    assert "503" in report["error"]
    assert set(report["event_ids"]) == {"first-1000", "combo-10"}


def test_a_failure_before_any_change_is_exit_1(
    tmp_path: Path, run: Runner, events_env: Callable[..., None], sandbox: Any
) -> None:
    path = write(tmp_path / "events.toml", THREE)
    def every_put(method: str, _path: str, _before: int) -> str | None:
        return "refuse" if method == "PUT" else None

    with FailingProxy(sandbox.url, every_put) as proxy:
        events_env(proxy.url)
        assert run("apply", str(path)).code == Exit.REQUEST_FAILED
