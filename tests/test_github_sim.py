"""The GitHub simulator behaves like api.github.com for the real PyGithub client, and checks every request."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from github import Auth, GithubException, GithubIntegration
from github.GithubRetry import GithubRetry
from support.diffs import anchors, make_patch
from support.github_sim import SimFile, git_blob_sha
from support.webhooks import example, headers, issue_comment_event, pull_request_event, review_comment_event, sign

REPO = "octo-org/svc"
HEAD = "a" * 40
BASE = "b" * 40
OLD = "".join(f"line {i}\n" for i in range(1, 41))
# line 5 changed, line 30 changed: two hunks (new lines 2-8 and 27-33)
NEW = OLD.replace("line 5\n", "line 5 changed\n").replace("line 30\n", "line 30 changed\n")
USER_TOKEN = "ghp_" + "x" * 36


@pytest.fixture
def sim(github_sim):
    github_sim.add_repo(REPO, default_branch="main", installation_id=42)
    github_sim.add_pull(
        repo=REPO,
        number=7,
        head_sha=HEAD,
        base_sha=BASE,
        files=[
            SimFile("app.py", NEW, old_content=OLD),
            SimFile("new.py", "x = 1\n"),
            SimFile("gone.py", None, old_content="y = 2\n"),
            SimFile("moved.py", "z = 3\n", old_content="z = 3\n", previous_filename="old_name.py"),
            SimFile("big.py", "a = 1\n" * 10, huge=True),
        ],
    )
    return github_sim


def raw(sim, method, path, body=None, token=None):
    """One request with httpx, outside PyGithub; returns (status, parsed body)."""
    auth = {"Authorization": f"token {token}"} if token else {}
    response = httpx.request(method, sim.url + path, json=body, headers=auth, timeout=10)
    return response.status_code, response.json() if response.content else None


def installation_token(sim):
    return sim.integration().get_access_token(42).token


def test_files_of_a_300_file_pull_come_in_pages_linked_by_link_headers(github_sim):
    github_sim.add_repo(REPO)
    files = [SimFile(f"src/m{i}.py", f"value = {i}\n", old_content="value = 0\n") for i in range(300)]
    github_sim.add_pull(repo=REPO, number=9, head_sha=HEAD, base_sha=BASE, files=files)
    pull = github_sim.client(per_page=100).get_repo(REPO).get_pull(9)

    got = list(pull.get_files())

    assert [f.filename for f in got] == [f"src/m{i}.py" for i in range(300)]
    pages = github_sim.calls("GET", r"/pulls/9/files$")
    assert [r.query.get("page", "1") for r in pages] == ["1", "2", "3"]
    assert pull.changed_files == 300
    assert got[1].patch == "@@ -1 +1 @@\n-value = 0\n+value = 1"
    assert got[1].sha == git_blob_sha(b"value = 1\n")


def test_link_header_names_next_and_last_pages_on_the_simulator_url(sim):
    token = installation_token(sim)
    response = httpx.get(f"{sim.url}/repos/{REPO}/pulls/7/files?per_page=2", headers={"Authorization": f"token {token}"}, timeout=10)
    link = response.headers["Link"]

    assert response.headers["X-RateLimit-Limit"] == "5000"
    assert f'<{sim.url}/repos/{REPO}/pulls/7/files?per_page=2&page=2>; rel="next"' in link
    assert f'<{sim.url}/repos/{REPO}/pulls/7/files?per_page=2&page=3>; rel="last"' in link


def test_installation_token_flow_issues_an_hour_long_ghs_token_that_authors_as_the_bot(sim):
    integration = sim.integration()
    installation = integration.get_repo_installation("octo-org", "svc")
    token = integration.get_access_token(installation.id)

    assert installation.id == 42
    assert token.token.startswith("ghs_")
    assert timedelta(minutes=59) < token.expires_at - datetime.now(UTC) <= timedelta(hours=1)
    assert integration.get_app().slug == sim.app_slug

    comment = sim.client(installation_id=42).get_repo(REPO).get_pull(7).create_issue_comment("hello")
    assert comment.user.login == "resbot[bot]"
    assert comment.user.type == "Bot"
    assert sim.tokens_issued == 2


def test_a_jwt_signed_by_another_key_is_401(sim):
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = other.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    integration = GithubIntegration(auth=Auth.AppAuth(sim.app_id, pem), base_url=sim.url, retry=None)

    with pytest.raises(GithubException) as caught:
        integration.get_access_token(42)

    assert caught.value.status == 401
    assert sim.tokens_issued == 0


def test_unknown_and_expired_tokens_are_401(sim):
    token = installation_token(sim)
    assert raw(sim, "GET", f"/repos/{REPO}", token=token)[0] == 200

    sim.expire_tokens()

    assert raw(sim, "GET", f"/repos/{REPO}", token=token)[0] == 401
    assert raw(sim, "GET", f"/repos/{REPO}", token="ghs_" + "unknown")[0] == 401
    assert raw(sim, "GET", f"/repos/{REPO}")[0] == 401


def test_an_installation_token_only_reaches_its_installations_repositories(sim):
    sim.add_repo("other-org/lib", installation_id=99)
    token = installation_token(sim)

    assert raw(sim, "GET", "/repos/other-org/lib", token=token)[0] == 404


def test_a_review_with_one_off_diff_comment_is_refused_whole_and_stores_nothing(sim):
    pull = sim.client().get_repo(REPO).get_pull(7)
    comments = [
        {"path": "app.py", "line": 5, "side": "RIGHT", "body": "on the changed line"},
        {"path": "app.py", "line": 18, "side": "RIGHT", "body": "between the hunks"},
    ]

    with pytest.raises(GithubException) as caught:
        pull.create_review(body="review", event="COMMENT", comments=comments)

    assert caught.value.status == 422
    assert "Line could not be resolved" in caught.value.data["errors"]
    assert sim.reviews(REPO, 7) == []
    assert sim.review_comments(REPO, 7) == []


def test_review_comments_anchor_to_diff_lines_including_multi_line_ranges_and_deleted_lines(sim):
    pull = sim.client().get_repo(REPO).get_pull(7)
    comments = [
        {"path": "app.py", "line": 5, "side": "RIGHT", "start_line": 3, "start_side": "RIGHT", "body": "range"},
        {"path": "app.py", "line": 30, "side": "LEFT", "body": "the old line"},
        {"path": "new.py", "line": 1, "body": "side defaults to RIGHT"},
    ]

    review = pull.create_review(commit=sim.client().get_repo(REPO).get_commit(HEAD), body="summary", event="COMMENT", comments=comments)

    stored = sim.review_comments(REPO, 7)
    assert review.state == "COMMENTED"
    assert [(c["path"], c["start_line"], c["line"], c["side"]) for c in stored] == [("app.py", 3, 5, "RIGHT"), ("app.py", None, 30, "LEFT"), ("new.py", None, 1, "RIGHT")]
    assert stored[0]["diff_hunk"].endswith("+line 5 changed")
    assert all(c["pull_request_review_id"] == review.id for c in stored)
    assert [c.body for c in pull.get_review_comments()] == ["range", "the old line", "side defaults to RIGHT"]


def test_a_multi_line_comment_spanning_two_hunks_or_running_backwards_is_422(sim):
    pull = sim.client().get_repo(REPO).get_pull(7)
    commit = sim.client().get_repo(REPO).get_commit(HEAD)

    for start_line, line in ((5, 28), (6, 4)):
        with pytest.raises(GithubException) as caught:
            pull.create_review_comment("x", commit, "app.py", line=line, side="RIGHT", start_line=start_line, start_side="RIGHT")
        assert caught.value.status == 422
    with pytest.raises(GithubException):
        pull.create_review_comment("x", commit, "big.py", line=1, side="RIGHT")
    assert sim.review_comments(REPO, 7) == []


def test_a_single_comment_and_its_reply_thread_on_the_same_line(sim):
    pull = sim.client().get_repo(REPO).get_pull(7)
    first = pull.create_review_comment("first", sim.client().get_repo(REPO).get_commit(HEAD), "app.py", line=30, side="RIGHT")

    reply = pull.create_review_comment_reply(first.id, "reply")

    assert reply.in_reply_to_id == first.id
    assert reply.line == 30
    assert sim.comment(reply.id)["body"] == "reply"
    assert pull.get_review_comment(first.id).body == "first"


def test_after_store_502_keeps_the_review_but_the_client_sees_502(sim):
    sim.inject(method="POST", path=r"/repos/.*/pulls/\d+/reviews$", status=502, times=1, after_store=True)
    pull = sim.client(retry=None).get_repo(REPO).get_pull(7)

    with pytest.raises(GithubException) as caught:
        pull.create_review(body="once", event="COMMENT", comments=[{"path": "new.py", "line": 1, "body": "c"}])

    assert caught.value.status == 502
    assert [r["body"] for r in sim.reviews(REPO, 7)] == ["once"]
    assert len(sim.review_comments(REPO, 7)) == 1
    assert sim.calls("POST", r"/reviews$")[0].fault is True


def test_a_502_before_store_stores_nothing_and_retry_after_is_sent(sim):
    sim.inject(method="POST", path=r"/reviews$", status=502, headers={"Retry-After": "1"})
    token = installation_token(sim)

    status, _ = raw(sim, "POST", f"/repos/{REPO}/pulls/7/reviews", {"body": "x", "event": "COMMENT"}, token=token)

    assert status == 502
    assert sim.reviews(REPO, 7) == []
    assert raw(sim, "POST", f"/repos/{REPO}/pulls/7/reviews", {"body": "x", "event": "COMMENT"}, token=token)[0] == 200


def test_pygithub_retries_a_secondary_rate_limit_and_the_comment_lands_once(sim):
    fault = sim.inject_secondary_rate_limit(method="POST", path=r"/issues/7/comments$", retry_after=0)
    pull = sim.client(retry=GithubRetry(total=2)).get_repo(REPO).get_pull(7)

    pull.create_issue_comment("after the limit")

    assert fault.hits == 1
    assert [r.status for r in sim.calls("POST", r"/issues/7/comments$")] == [403, 201]
    assert [c["body"] for c in sim.issue_comments(REPO, 7)] == ["after the limit"]


def test_a_body_breaking_the_openapi_schema_is_recorded_and_answered_422(sim):
    token = installation_token(sim)

    status, body = raw(sim, "POST", f"/repos/{REPO}/issues/7/comments", {"body": 5}, token=token)

    assert status == 422
    assert "is not of type 'string'" in body["message"]
    assert len(sim.violations) == 1
    assert sim.violations[0].startswith(f"POST /repos/{REPO}/issues/7/comments: body['body']")
    assert sim.issue_comments(REPO, 7) == []
    sim.violations.clear()


def test_unknown_routes_are_404_violations_and_known_unserved_routes_are_501(sim):
    token = installation_token(sim)

    assert raw(sim, "GET", f"/repos/{REPO}/no-such-thing", token=token)[0] == 404
    assert raw(sim, "GET", f"/repos/{REPO}/releases", token=token)[0] == 501

    assert sim.violations == [f"GET /repos/{REPO}/no-such-thing: no such route in the OpenAPI description"]
    assert sim.unimplemented == ["GET /repos/{owner}/{repo}/releases"]
    sim.violations.clear()


def test_check_run_patch_with_51_annotations_is_422_and_keeps_earlier_annotations(sim):
    repo = sim.client().get_repo(REPO)
    note = {"path": "app.py", "start_line": 5, "end_line": 5, "annotation_level": "warning", "message": "m"}
    run = repo.create_check_run(name="resbot", head_sha=HEAD, status="in_progress", output={"title": "t", "summary": "s", "annotations": [note] * 50})

    with pytest.raises(GithubException) as caught:
        run.edit(output={"title": "t", "summary": "s", "annotations": [note] * 51})
    run.edit(conclusion="neutral", output={"title": "done", "summary": "s", "annotations": [note] * 2})

    assert caught.value.status == 422
    assert [v.split(": ", 1)[1] for v in sim.violations] == ["body['output']['annotations']: maxItems is 50"]
    [stored] = sim.check_runs(REPO)
    assert (stored["status"], stored["conclusion"], len(stored["annotations"])) == ("completed", "neutral", 52)
    assert run.get_annotations().totalCount == 52
    assert [r.id for r in repo.get_commit(HEAD).get_check_runs(check_name="resbot")] == [run.id]
    sim.violations.clear()


def test_a_personal_token_acts_as_its_user_and_cannot_create_check_runs(sim):
    sim.add_token(USER_TOKEN, login="maintainer")
    gh = sim.client(token=USER_TOKEN)
    repo = gh.get_repo(REPO)

    comment = repo.get_pull(7).create_issue_comment("by hand")
    with pytest.raises(GithubException) as caught:
        repo.create_check_run(name="resbot", head_sha=HEAD)

    assert comment.user.login == "maintainer"
    assert gh.get_user().login == "maintainer"
    assert caught.value.status == 403


def test_a_delay_only_fault_slows_the_answer_but_keeps_it_normal(sim):
    fault = sim.inject(method="GET", path=r"/pulls/7$", status=None, delay=0.01)

    title = sim.client().get_repo(REPO).get_pull(7).title

    assert title == "A change"
    assert fault.hits == 1
    assert sim.calls("GET", r"/pulls/7$")[0].status == 200


def test_the_bot_edits_its_sticky_comment_and_reacts(sim):
    pull = sim.client().get_repo(REPO).get_pull(7)
    comment = pull.create_issue_comment("summary v1")

    comment.edit("summary v2")
    comment.create_reaction("eyes")

    assert [c.body for c in pull.get_issue_comments()] == ["summary v2"]
    assert [r["content"] for r in sim.reactions(comment.id)] == ["eyes"]
    assert pull.as_issue().pull_request is not None


def test_files_carry_status_patch_and_rename_like_github(sim):
    files = {f.filename: f for f in sim.client().get_repo(REPO).get_pull(7).get_files()}

    assert {name: f.status for name, f in files.items()} == {"app.py": "modified", "new.py": "added", "gone.py": "removed", "moved.py": "renamed", "big.py": "added"}
    assert files["moved.py"].previous_filename == "old_name.py"
    assert files["moved.py"].patch is None
    assert files["big.py"].patch is None
    assert files["big.py"].additions == 10
    assert files["gone.py"].patch == "@@ -1 +0,0 @@\n-y = 2"
    assert (files["app.py"].additions, files["app.py"].deletions, files["app.py"].changes) == (2, 2, 4)


def test_contents_by_branch_or_sha_and_missing_files_are_404(sim):
    sim.set_file(REPO, "main", ".resbot.yml", "min-severity: high\n")
    repo = sim.client().get_repo(REPO)

    assert repo.get_contents(".resbot.yml", ref=BASE).decoded_content == b"min-severity: high\n"
    assert repo.get_contents(".resbot.yml").decoded_content == b"min-severity: high\n"
    assert repo.get_contents("app.py", ref=HEAD).decoded_content.decode() == NEW
    assert repo.get_contents("app.py", ref="main").decoded_content.decode() == OLD
    assert repo.get_git_blob(git_blob_sha(b"x = 1\n")).content.replace("\n", "") == "eCA9IDEK"
    with pytest.raises(GithubException) as caught:
        repo.get_contents("gone.py", ref=HEAD)
    assert caught.value.status == 404


def test_a_new_push_moves_the_head_and_old_commit_comments_still_anchor(sim):
    sim.update_pull_head(REPO, 7, head_sha="c" * 40, files=[SimFile("app.py", NEW + "tail\n", old_content=OLD)])
    pull = sim.client().get_repo(REPO).get_pull(7)

    assert pull.head.sha == "c" * 40
    assert [f.filename for f in pull.get_files()] == ["app.py"]
    pull.create_review(commit=sim.client().get_repo(REPO).get_commit(HEAD), event="COMMENT", body="old", comments=[{"path": "new.py", "line": 1, "body": "x"}])
    assert sim.reviews(REPO, 7)[0]["commit_id"] == HEAD


def test_collaborator_permission_defaults_to_read(sim):
    sim.set_permission(REPO, "lead", "maintain")
    repo = sim.client().get_repo(REPO)

    assert repo.get_collaborator_permission("lead") == "write"
    assert repo.get_collaborator_permission("stranger") == "read"
    assert repo.get_collaborator_role_name("lead") == "maintain"


def test_concurrent_clients_are_all_answered(sim):
    repo = sim.client().get_repo(REPO)

    with ThreadPoolExecutor(max_workers=8) as pool:
        titles = list(pool.map(lambda _: repo.get_pull(7).title, range(32)))

    assert titles == ["A change"] * 32


def test_make_patch_and_anchors_agree_on_hunks():
    patch = make_patch(OLD, NEW)
    found = anchors(patch)

    assert patch.count("@@ -") == 2
    assert found.hunk_of("RIGHT", 5) == 0
    assert found.hunk_of("RIGHT", 30) == 1
    assert found.hunk_of("RIGHT", 18) is None
    assert make_patch("a", "a\nb") == "@@ -1 +1,2 @@\n-a\n\\ No newline at end of file\n+a\n+b\n\\ No newline at end of file"


def test_pull_request_event_is_a_real_example_with_consistent_fields():
    payload = pull_request_event("synchronize", repo="acme/api", number=12, head_sha="d" * 40, base_sha="e" * 40, draft=True, installation_id=7)

    pr = payload["pull_request"]
    assert (payload["action"], payload["number"], payload["installation"]["id"]) == ("synchronize", 12, 7)
    assert payload["repository"]["full_name"] == "acme/api"
    assert payload["repository"]["owner"]["login"] == "acme"
    assert (pr["number"], pr["head"]["sha"], pr["base"]["sha"], pr["base"]["ref"], pr["draft"]) == (12, "d" * 40, "e" * 40, "main", True)
    assert pr["url"].endswith("/repos/acme/api/pulls/12")
    assert payload["after"] == "d" * 40
    assert set(example("pull_request", "opened")) >= {"action", "pull_request", "repository", "sender"}


def test_comment_events_carry_body_commenter_and_pull_link():
    on_pr = issue_comment_event("/review", commenter="resbot[bot]", commenter_type="Bot")
    on_issue = issue_comment_event("/help", on_pull_request=False)
    inline = review_comment_event("/ask why?", path="app.py", line=5, in_reply_to=99)

    assert on_pr["comment"]["body"] == "/review"
    assert on_pr["sender"] == on_pr["comment"]["user"]
    assert on_pr["sender"]["type"] == "Bot"
    assert "pull_request" in on_pr["issue"]
    assert "pull_request" not in on_issue["issue"]
    assert (inline["comment"]["path"], inline["comment"]["line"], inline["comment"]["in_reply_to_id"]) == ("app.py", 5, 99)
    assert inline["pull_request"]["number"] == 7


def test_signature_and_headers_match_githubs_hmac():
    body = b'{"zen":"Keep it logically awesome."}'

    signed = headers("ping", body, "It's a Secret to Everybody", delivery_id="d-1")

    # the worked example from GitHub's "Validating webhook deliveries" page
    assert sign(b"Hello, World!", "It's a Secret to Everybody") == "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
    assert signed["X-Hub-Signature-256"] == sign(body, "It's a Secret to Everybody")
    assert (signed["X-GitHub-Event"], signed["X-GitHub-Delivery"]) == ("ping", "d-1")
    assert signed["User-Agent"].startswith("GitHub-Hookshot/")


def test_a_recursive_tree_lists_the_files_at_a_commit_and_truncates_past_the_limit(sim):
    sim.set_file(REPO, BASE, "web/src/util.js", "export {};\n")
    repo = sim.client().get_repo(REPO)

    tree = repo.get_git_tree(HEAD, recursive=True)
    blobs = {e.path: e for e in tree.tree if e.type == "blob"}
    # The base's files come along, deleted and renamed-away ones do not.
    assert sorted(blobs) == ["app.py", "big.py", "moved.py", "new.py", "web/src/util.js"]
    assert blobs["app.py"].sha == git_blob_sha(NEW.encode()) and blobs["app.py"].size == len(NEW)
    assert {e.path for e in tree.tree if e.type == "tree"} == {"web", "web/src"}
    assert tree.truncated is False
    assert repo.get_git_blob(blobs["web/src/util.js"].sha).size == len("export {};\n")
    assert {e.path for e in repo.get_git_tree(HEAD).tree} == {"app.py", "big.py", "moved.py", "new.py", "web"}

    sim.max_tree_entries = 2
    truncated = repo.get_git_tree(HEAD, recursive=True)
    assert truncated.truncated is True and len(truncated.tree) == 2
    with pytest.raises(GithubException) as caught:
        repo.get_git_tree("f" * 40, recursive=True)
    assert caught.value.status == 404
    assert [r.query for r in sim.calls(path_regex="/git/trees/")] == [{"recursive": "1"}, {}, {"recursive": "1"}, {"recursive": "1"}]
