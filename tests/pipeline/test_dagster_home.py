"""Dagster's state belongs to its warehouse: `make run` and `make ui` of one WAREHOUSE_DIR see its runs only."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from ledger.settings import PROJECT_ROOT

from .test_ui_browser import _free_port

_PARTITIONS = '{ assetNodeOrError(assetKey: {path: ["documents"]}) { ... on AssetNode { partitionKeys } } }'


def _env(inbox: Path, warehouse: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}  # as a new user has it: nothing exported
    return {**env, "INBOX_DIR": str(inbox), "WAREHOUSE_DIR": str(warehouse), "INBOX_SETTLE_SECONDS": "0"}


def _graphql(url: str, query: str) -> dict:
    request = urllib.request.Request(
        f"{url}/graphql", data=json.dumps({"query": query}).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())["data"]


def _serve(env: dict) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "pipelines", "ui", "--port", str(port)],
        env=env,
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 180
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"{url}/server_info", timeout=2)
            return server, url
        except OSError:
            assert server.poll() is None, "the UI exited"
            time.sleep(0.5)
    raise AssertionError("the UI did not start")


def test_each_warehouse_ui_lists_only_its_own_batches(tmp_path):
    batches = {}
    for name, seeds in (
        ("a", ["000_c5fbdeb155b57784.txt"]),
        ("b", ["001_275f6a05a2a2f2c3.txt", "002_ccd135a118f501bf.txt"]),
    ):
        inbox = tmp_path / name / "inbox"
        inbox.mkdir(parents=True)
        for seed in seeds:
            shutil.copy(PROJECT_ROOT / "seeds" / seed, inbox)
        env = _env(inbox, tmp_path / name / "warehouse")
        for _ in range(2):  # the second run adds a file: a second batch
            run = subprocess.run(
                [sys.executable, "-m", "pipelines", "run"],
                env=env,
                cwd=PROJECT_ROOT,
                capture_output=True,
                text=True,
                timeout=600,
            )
            assert run.returncode == 0, run.stdout + run.stderr
            (inbox / f"extra_{name}.txt").write_text(
                (PROJECT_ROOT / "seeds" / "003_00b2aa93b7b7c10e.txt").read_text("utf-8") + f"\n{name}\n",
                encoding="utf-8",
            )
        assert (tmp_path / name / "warehouse" / "dagster_home" / "dagster.yaml").exists()
        batches[name] = sorted(
            p.name.removeprefix("batch=") for p in (tmp_path / name / "warehouse" / "batches").iterdir()
        )
        assert len(batches[name]) == 2
    assert not set(batches["a"]) & set(batches["b"]), "batch keys differ by the second: the check below means something"

    for name in ("a", "b"):
        server, url = _serve(_env(tmp_path / name / "inbox", tmp_path / name / "warehouse"))
        try:
            shown = _graphql(url, _PARTITIONS)["assetNodeOrError"]["partitionKeys"]
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=60)
        assert sorted(shown) == batches[name]
