"""The shipped rule pack: every fixture passes, every language is covered, and resbot is clean on itself."""

from __future__ import annotations

import json

import pytest
from conftest import REPO, write_tree

from bot.analyze.fixtures import check_rule
from bot.analyze.rules import load_rules
from bot.syntax.languages import LANGUAGES

PACK = load_rules()


@pytest.mark.parametrize("rule", PACK.rules, ids=lambda r: f"{r.language}/{r.id}")
def test_rule_fixture(rule):
    result = check_rule(rule)
    assert result.ok, "\n".join(result.problems)
    assert len(result.expected) >= 3, "a fixture needs at least three flagged lines"
    assert len(result.quiet) >= 3, "a fixture needs at least three quiet lines"


def test_pack_size():
    assert len(PACK.ids()) >= 12
    assert {r.language for r in PACK.rules} == set(LANGUAGES)


def test_examples_have_findings_in_all_six_languages(cli):
    run = cli("scan", REPO / "examples", "--format", "json")
    data = json.loads(run.out)
    assert run.code == 1
    assert {f["language"] for f in data["findings"]} == set(LANGUAGES)


def test_resbot_scans_itself_clean(cli):
    run = cli("scan", REPO / "bot", "--format", "json")
    data = json.loads(run.out)
    assert data["findings"] == [], data["findings"]
    assert run.code == 0
    assert data["summary"]["files"] > 20


def test_generated_rule_docs_are_current(cli):
    run = cli("rules", "docs")
    assert run.code == 0
    assert (REPO / "docs" / "rules.md").read_text() == run.out, "run `resbot rules docs -o docs/rules.md`"


LOOPBACK_ADMIN_SCRIPT = '''import argparse
import requests

def main(args):
    requests.post(args.url + "/api/pause")

if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://localhost:8200")
    main(parser.parse_args())
'''

LOOPBACK_DEFAULT_SERVICE = '''import argparse
import requests
import uvicorn
from fastapi import FastAPI

app = FastAPI()

def send_heart_beat(controller):
    requests.post(controller + "/receive_heart_beat", json={})

if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--controller-address", default="http://localhost:21001")
    args = parser.parse_args()
    uvicorn.run(app, host="0.0.0.0", port=21002)
'''


def test_loopback_script_is_quiet_but_a_server_with_loopback_defaults_is_not(cli, tmp_path):
    """A program whose only URLs are loopback ones is a local admin tool; one that starts a server is a service
    whose loopback URLs are argument defaults every deployment overrides."""
    write_tree(tmp_path, {"admin/pause.py": LOOPBACK_ADMIN_SCRIPT, "serve/model_worker.py": LOOPBACK_DEFAULT_SERVICE})
    data = json.loads(cli("scan", tmp_path, "--format", "json").out)
    found = {(f["path"], f["line"], f["rule_id"]) for f in data["findings"]}
    assert found == {("serve/model_worker.py", 9, "http-call-without-timeout")}, found


SESSION_WITH_TIMEOUT_ADAPTER = '''import requests

from app.utils.http import CustomHTTPAdapter


class StoreClient:
    def __init__(self, url, request_timeout, max_retries):
        self.url = url
        self.session = requests.Session()
        self.session.mount(
            self.url,
            CustomHTTPAdapter(request_timeout, max_retries),
        )

    def send(self, events):
        return self.session.post(self.url, json=events)

    def region(self):
        return requests.get("https://s3.amazonaws.com/bucket")
'''


def test_a_session_with_a_timeout_adapter_mounted_is_bounded_but_bare_calls_are_not(cli, tmp_path):
    """An adapter built with a timeout and mounted on the session (its class kept in another module) fills in
    the timeout for the session's requests; a bare `requests.get` in the same file goes around it."""
    write_tree(tmp_path, {"app/stores/http.py": SESSION_WITH_TIMEOUT_ADAPTER})
    data = json.loads(cli("scan", tmp_path, "--format", "json").out)
    found = {(f["path"], f["line"], f["rule_id"]) for f in data["findings"]}
    assert found == {("app/stores/http.py", 19, "http-call-without-timeout")}, found
