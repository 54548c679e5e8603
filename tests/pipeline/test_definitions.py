"""The code location loads, and its asset graph matches the reviewed snapshot.

A change to the graph (an asset, a dependency, a check, a group) shows up as a snapshot diff in
review. Regenerate with: UPDATE_SNAPSHOTS=1 make test
"""

import json
import os
from datetime import timedelta
from pathlib import Path

import dagster as dg

from pipelines.definitions import defs

SNAPSHOT = Path(__file__).parent.parent / "snapshots" / "asset_graph.json"


def graph_snapshot() -> dict:
    graph = defs.resolve_asset_graph()
    snapshot = {}
    for key in sorted(graph.get_all_asset_keys(), key=lambda k: k.to_user_string()):
        node = graph.get(key)
        snapshot[key.to_user_string()] = {
            "group": node.group_name,
            "deps": sorted(k.to_user_string() for k in node.parent_keys),
            "partitioned": node.partitions_def is not None,
            "kinds": sorted(node.kinds),
            "checks": sorted(c.name for c in node.check_keys),
            "blocking_checks": sorted(c.name for c in node.check_keys if graph.get(c).blocking),
        }
    return snapshot


def test_definitions_load():
    dg.Definitions.validate_loadable(defs)
    assert {j.name for j in defs.resolve_all_job_defs()} >= {"ledger_batch", "gazetteer_refresh"}
    nightly = defs.resolve_sensor_def("nightly_ledger")
    assert nightly.job_name == "ledger_batch" and nightly.default_status == dg.DefaultSensorStatus.RUNNING
    freshness = defs.resolve_asset_graph().get(dg.AssetKey("publication")).freshness_policy
    assert freshness == dg.FreshnessPolicy.time_window(fail_window=timedelta(hours=26))


def test_every_stage_is_described_and_checked():
    graph = defs.resolve_asset_graph()
    for key in graph.materializable_asset_keys:
        node = graph.get(key)
        assert node.description, key
        assert node.owners, key
        if key.to_user_string() not in ("publication", "report"):  # steps over the published tables, not tables
            assert "dagster/column_schema" in node.metadata, key
            assert node.check_keys and all(graph.get(c).blocking for c in node.check_keys), key


def test_asset_graph_matches_snapshot():
    current = graph_snapshot()
    if os.environ.get("UPDATE_SNAPSHOTS"):
        SNAPSHOT.write_text(json.dumps(current, indent=2) + "\n", encoding="utf-8")
    assert current == json.loads(SNAPSHOT.read_text("utf-8"))
