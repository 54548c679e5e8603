"""Batches: one Dagster partition per inbox delivery, defined once.

A batch is what one planning pass found new, changed or deleted; a nightly run adds at most one,
so the partition count grows by hundreds a year, never by documents.
"""

import dagster as dg

batches = dg.DynamicPartitionsDefinition(name="batches")
