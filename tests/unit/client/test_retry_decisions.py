"""The retry loop's decision table (``_retry.decide``): every way of sending, every kind of
failure, with attempts left and at the last attempt."""

from __future__ import annotations

import pytest

from pulumi_chatcomp.client._retry import Decision, Failure, Sending, decide

UNSENT, AMBIGUOUS, FINAL, UNREADABLE = (
    Failure.UNSENT,
    Failure.AMBIGUOUS,
    Failure.FINAL,
    Failure.UNREADABLE,
)
IDEMPOTENT, CREATE, FINDABLE = Sending.IDEMPOTENT, Sending.CREATE, Sending.FINDABLE_CREATE

RAISE = Decision()
RETRY = Decision(wait=True, send_again=True)
LOOK_UP_THEN_RETRY = Decision(wait=True, look_up=True, send_again=True)
LOOK_UP_THEN_RAISE = Decision(wait=True, look_up=True)
ADOPT_OR_RAISE_MAY_EXIST = Decision(look_up=True, may_exist=True)
RAISE_MAY_EXIST = Decision(may_exist=True)
NOT_SENT_AGAIN = "The completion may have been created, so the create was not sent again"

# (sending, failure): (with attempts left, at the last attempt). None: raised, marked as
# maybe created, with a sentence saying why it was not sent again.
TABLE = {
    (IDEMPOTENT, UNSENT): (RETRY, RAISE),
    (IDEMPOTENT, AMBIGUOUS): (RETRY, RAISE),
    (IDEMPOTENT, FINAL): (RAISE, RAISE),
    (IDEMPOTENT, UNREADABLE): (RAISE, RAISE),
    (CREATE, UNSENT): (RETRY, RAISE),
    (CREATE, AMBIGUOUS): (None, None),
    (CREATE, FINAL): (RAISE, RAISE),
    (CREATE, UNREADABLE): (RAISE_MAY_EXIST, RAISE_MAY_EXIST),
    (FINDABLE, UNSENT): (RETRY, RAISE),
    (FINDABLE, AMBIGUOUS): (LOOK_UP_THEN_RETRY, LOOK_UP_THEN_RAISE),
    (FINDABLE, FINAL): (RAISE, RAISE),
    (FINDABLE, UNREADABLE): (ADOPT_OR_RAISE_MAY_EXIST, ADOPT_OR_RAISE_MAY_EXIST),
}

ROWS = [
    pytest.param(
        sending,
        failure,
        last,
        expected[last],
        id=f"{sending.value}-{failure.value}-{'last' if last else 'more'}",
    )
    for (sending, failure), expected in TABLE.items()
    for last in (False, True)
]


def test_the_table_covers_every_case() -> None:
    assert set(TABLE) == {(sending, failure) for sending in Sending for failure in Failure}


@pytest.mark.parametrize(("sending", "failure", "last", "expected"), ROWS)
def test_decide(sending: Sending, failure: Failure, last: bool, expected: Decision | None) -> None:
    max_retries = 2
    decided = decide(sending, failure, attempt=max_retries if last else 0, max_retries=max_retries)
    if expected is None:  # a create that may have been stored is not sent again, and says so
        assert decided._replace(note=None) == RAISE_MAY_EXIST
        assert decided.note is not None and decided.note.startswith(NOT_SENT_AGAIN)
    else:
        assert decided == expected


@pytest.mark.parametrize("max_retries", [0, 1, 5])
def test_only_the_last_attempt_is_last(max_retries: int) -> None:
    decided = [
        decide(IDEMPOTENT, AMBIGUOUS, attempt=attempt, max_retries=max_retries).send_again
        for attempt in range(max_retries + 1)
    ]
    assert decided == [True] * max_retries + [False]


@pytest.mark.parametrize(("sending", "failure"), list(TABLE))
def test_a_create_that_may_exist_is_never_sent_again_blindly(
    sending: Sending, failure: Failure
) -> None:
    # Sending a create again is safe only when the server certainly did not act on it, or
    # after a look-up found nothing.
    for attempt in (0, 2):
        decided = decide(sending, failure, attempt=attempt, max_retries=2)
        if sending is not IDEMPOTENT and decided.send_again:
            assert failure is UNSENT or decided.look_up
