"""The status lifecycle: every allowed move works, everything else is refused."""

from __future__ import annotations

import itertools

import pytest

from streetlight.reports.lifecycle import TRANSITIONS, Status, TransitionError, check_transition, is_open

ALLOWED = {(src, dst) for src, targets in TRANSITIONS.items() for dst in targets}


@pytest.mark.parametrize(("src", "dst"), sorted(ALLOWED))
def test_allowed_transition_returns_target(src: Status, dst: Status) -> None:
    assert check_transition(src.value, dst.value) is dst


@pytest.mark.parametrize(("src", "dst"), sorted(set(itertools.product(Status, Status)) - ALLOWED))
def test_other_transitions_are_refused(src: Status, dst: Status) -> None:
    with pytest.raises(TransitionError, match=f"from {src.value} to {dst.value}"):
        check_transition(src.value, dst.value)


@pytest.mark.parametrize("closed", [Status.RESOLVED, Status.CLOSED, Status.REJECTED])
def test_a_finished_report_can_be_reopened_and_worked_again(closed: Status) -> None:
    assert check_transition(closed.value, "reopened") is Status.REOPENED
    assert check_transition("reopened", "in_progress") is Status.IN_PROGRESS


def test_merged_is_final() -> None:
    assert TRANSITIONS[Status.MERGED] == frozenset()


def test_unknown_status_is_refused() -> None:
    with pytest.raises(TransitionError, match="unknown status"):
        check_transition("received", "archived")


def test_open_statuses() -> None:
    assert is_open("received") and is_open("reopened") and is_open("waiting_for_reporter")
    assert not is_open("closed") and not is_open("merged")
