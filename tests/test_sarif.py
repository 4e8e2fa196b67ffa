"""SARIF output validates against the SARIF 2.1.0 JSON schema and carries what code scanning needs."""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest
from conftest import REPO, SAMPLES

SCHEMA = Path(
    os.environ.get(
        "RESBOT_SARIF_SCHEMA",
        Path(__file__).parent / "node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json",
    )
)


@pytest.fixture(scope="module")
def validator():
    if not SCHEMA.exists():
        pytest.fail(f"SARIF schema missing at {SCHEMA}: run `npm install` in tests/ (.ci/run does)")
    schema = json.loads(SCHEMA.read_text())
    return jsonschema.Draft4Validator(schema)


def test_sample_scan_validates(cli, tree, validator):
    root = tree({"svc/a.py": "import requests\nrequests.get(u)\n", "blob.py": b"\x00\x00"})
    run = cli("scan", root, "--format", "sarif", "--rules", SAMPLES / "rules")
    log = json.loads(run.out)
    errors = sorted(validator.iter_errors(log), key=str)
    assert not errors, errors[0]
    (result,) = log["runs"][0]["results"]
    assert result["ruleId"] == "requests-without-timeout"
    assert result["level"] == "error"
    loc = result["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": "svc/a.py", "uriBaseId": "%SRCROOT%"}
    assert loc["region"]["startLine"] == 2
    assert len(result["partialFingerprints"]["resbot/v1"]) == 24
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    entry = rules[result["ruleIndex"]]
    assert entry["id"] == "requests-without-timeout"
    assert entry["properties"]["category"] == "resilience/timeout"
    assert "python" in entry["properties"]["tags"]
    assert entry["help"]["markdown"].startswith("## `requests-without-timeout`")
    notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert notes[0]["message"]["text"] == "skipped: binary"


def test_full_pack_on_examples_validates(cli, validator):
    run = cli("scan", REPO / "examples", "--format", "sarif")
    log = json.loads(run.out)
    errors = sorted(validator.iter_errors(log), key=str)
    assert not errors, errors[0]
    assert log["runs"][0]["results"]
    security = [r for r in log["runs"][0]["tool"]["driver"]["rules"] if r["properties"]["category"].startswith("security/")]
    assert all("security-severity" in r["properties"] for r in security)
