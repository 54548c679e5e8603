"""Dagster's building blocks: every stage's asset and checks, storage, partitions, publication, report."""

import warnings

import dagster as dg

# Checks are partitioned by batch like their assets: a deliberate choice, and Dagster's preview notice
# about it (once per check, in every process that loads the code) is nothing a user can act on.
warnings.filterwarnings(
    "ignore", message="Specifying a partitions_def on an AssetCheckSpec", category=dg.PreviewWarning
)
