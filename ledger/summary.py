"""What a run did, as the lines `make run` prints (no Dagster import: the idle path uses it too)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ledger.inbox import InboxPlan


@dataclass
class BatchOutcome:
    batch: str
    published: bool
    statuses: dict[str, int]
    checks_passed: int
    checks_failed: list[str]
    from_stage: str | None = None  # set when a published batch was re-extracted from this stage
    quarantined: list[dict] = field(default_factory=list)  # documents kept out: source_name, stage, reason
    checks_warned: int = 0  # checks that quarantined documents (severity WARN) instead of blocking


@dataclass
class RunSummary:
    plan: InboxPlan
    batches: list[BatchOutcome] = field(default_factory=list)
    reextracted: list[BatchOutcome] = field(default_factory=list)
    current: dict[str, int] = field(default_factory=dict)
    gazetteer_refreshed: bool = False

    @property
    def ok(self) -> bool:
        # A step that failed after publication (the report, its Data Docs) fails the run too: a nightly
        # run must say so, though the analysts' data is already out.
        return all(b.published and not b.checks_failed for b in self.batches + self.reextracted)

    def lines(self) -> list[str]:
        status = lambda key: sum(b.statuses.get(key, 0) for b in self.batches)  # noqa: E731
        runs = self.batches + self.reextracted
        out = [
            f"inbox: {self.plan.new} new, {self.plan.changed} changed, {self.plan.deleted} deleted, {self.plan.unchanged} unchanged"
        ]
        if self.plan.settling:
            out.append(
                f"  {_count(self.plan.settling, 'file')} still being written (size or time changed while this run "
                f"waited {self.plan.settle_seconds:g} s, INBOX_SETTLE_SECONDS): left for the next run"
            )
        out += [
            f"batches run: {len(self.batches)}"
            + (f" ({', '.join(b.batch for b in self.batches)})" if self.batches else " (nothing new)"),
            f"documents: {status('document')} processed, {status('duplicate')} duplicate, {status('rejected')} rejected, "
            f"{status('deferred')} deferred, {status('deleted')} deleted",
        ]
        quarantined = [q for b in runs if b.published for q in b.quarantined]
        if quarantined:
            out.append(
                f"quarantined: {_count(len(quarantined), 'document')} failed a row-level expectation and "
                "stay out of the views (see quarantined_documents); the rest was published"
            )
            out += [f"  {q['source_name']} ({q['stage']}): {q['reason']}" for q in quarantined[:_EXAMPLES]]
        if self.gazetteer_refreshed:
            out.append("gazetteer: new or changed, staged for publication")
        if self.reextracted:
            stages = sorted({b.from_stage for b in self.reextracted})
            out.append(
                f"re-extracted: {len(self.reextracted)} published batches from {', '.join(stages)} (code or gazetteer changed)"
            )
        warned = sum(b.checks_warned for b in runs)
        out.append(
            f"checks: {sum(b.checks_passed for b in runs)} passed, "
            + (f"{warned} passed with documents quarantined, " if warned else "")
            + f"{sum(len(b.checks_failed) for b in runs)} failed"
        )
        out += [
            f"  BLOCKED batch {b.batch}: failing {', '.join(b.checks_failed)} (previous publication kept)"
            for b in runs
            if not b.published
        ]
        out += [
            f"  FAILED after publishing batch {b.batch}: {', '.join(b.checks_failed)} (its data is published)"
            for b in runs
            if b.published and b.checks_failed
        ]
        if self.current:
            out.append("published now: " + ", ".join(f"{n} {view}" for view, n in self.current.items()))
        return out


_EXAMPLES = 3  # quarantined documents named in the summary


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
