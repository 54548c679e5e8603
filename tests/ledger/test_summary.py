"""What a run's exit status says: a batch that published but had a step fail after publication fails the run."""

from ledger.inbox import InboxPlan
from ledger.summary import BatchOutcome, RunSummary


def _summary(*batches: BatchOutcome) -> RunSummary:
    return RunSummary(InboxPlan([b.batch for b in batches], len(batches), 0, 0, 0), list(batches))


def test_published_batches_without_failures_make_a_run_ok():
    assert _summary(BatchOutcome("b1", True, {}, 8, [])).ok


def test_a_step_failing_after_publication_fails_the_run_and_is_printed():
    report_failed = BatchOutcome("b1", True, {}, 8, ["step report errored: No such file or directory"])
    summary = _summary(BatchOutcome("b0", True, {}, 8, []), report_failed)
    assert not summary.ok
    assert any("step report errored" in line for line in summary.lines())


def test_a_blocked_batch_fails_the_run():
    assert not _summary(BatchOutcome("b1", False, {}, 7, ["incidents [expect_column_values_to_be_between(high)]"])).ok
