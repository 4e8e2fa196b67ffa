"""Rule traps that a single fixture file cannot hold: facts about the whole file (the client class it sends
through, the build configurations it compiles in)."""

from __future__ import annotations

import pytest

from bot.analyze.debug_code import debug_only_rows, legacy_framework_rows
from bot.analyze.engine import Engine
from bot.analyze.rules import RuleSet, load_rules

PACK = load_rules()


def _findings(rule_id: str, language: str, path: str, source: str) -> list[tuple[int, str]]:
    rules = [r for r in PACK.by_id(rule_id) if r.language == language]
    engine = Engine(RuleSet(rules[0].path.parent.parent, rules))
    grammar = {"java": "java", "csharp": "csharp", "python": "python", "go": "go"}.get(language, language)
    report = engine.analyze(path, source.encode(), language=language, grammar=grammar)
    return [(f.line, f.confidence.name.lower()) for f in report.findings]


JAVA_CLIENT = """\
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

class StorageClient {
    private final CLIENT http;

    StorageClient(CLIENT http) {
        this.http = http;
    }

    String delete(String user) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://storage/v1/" + user)).DELETE().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }
}
"""


def test_a_request_sent_through_the_projects_own_client_class_is_left_to_that_class():
    wrapped = JAVA_CLIENT.replace("CLIENT", "FaultTolerantHttpClient")
    assert _findings("http-call-without-timeout", "java", "StorageClient.java", wrapped) == []
    plain = JAVA_CLIENT.replace("CLIENT", "HttpClient")
    assert _findings("http-call-without-timeout", "java", "StorageClient.java", plain) == [(14, "medium")]


CSHARP_UPDATER = """\
using System;
using System.Threading;
using System.Threading.Tasks;

class Updater
{
    public async Task RunAsync(CancellationToken token)
    {
#if DEBUG
        while (!System.Diagnostics.Debugger.IsAttached)
        {
            await Task.Delay(1000);
        }
#else
        await Task.Delay(1000);
#endif
        await Task.Delay(2000);
    }
}
"""


def test_code_compiled_into_debug_builds_only_counts_one_level_lower():
    found = _findings("cancellation-token-not-forwarded", "csharp", "Updater.cs", CSHARP_UPDATER)
    assert found == [(12, "low"), (15, "medium"), (17, "medium")]


def test_debug_only_rows_follow_the_directives():
    text = "\n".join(
        [
            "a",  # 0
            "#if DEBUG",
            "b",  # 2: debug only
            "#else",
            "c",  # 4: release only
            "#endif",
            "#if !DEBUG",
            "d",  # 7: release only
            "#else",
            "e",  # 9: debug only
            "#endif",
            "#if DEBUG || TRACE",
            "f",  # 12: also traced release builds
            "#endif",
            "#if NETCOREAPP",
            "  # if DEBUG && VERBOSE // a comment",
            "g",  # 16: debug only
            "#endif",
            "#elif NET48",
            "h",  # 19: not known
            "#endif",
            "#endif",  # unbalanced: ignored
        ]
    )
    assert debug_only_rows(text) == [(2, 2), (9, 9), (16, 16)]
    assert debug_only_rows("class A {}\n") == []


def test_legacy_framework_rows_follow_the_directives():
    text = "\n".join(
        [
            "a",  # 0
            "#if NET6_0_OR_GREATER",
            "b",  # 2: .NET 6 and later
            "#else",
            "c",  # 4: older frameworks only
            "#endif",
            "#if NETFRAMEWORK || NETSTANDARD2_0",
            "d",  # 7: older frameworks only
            "#elif NETCOREAPP3_1",
            "e",  # 9: .NET Core
            "#else",
            "f",  # 11: not known
            "#endif",
            "#if !NET5_0_OR_GREATER",
            "g",  # 14: older frameworks only
            "#endif",
            "#if DEBUG",
            "h",  # 17: not a framework condition
            "#else",
            "i",  # 19
            "#endif",
            "#if NET48 && DEBUG",
            "j",  # 22: not known (a condition the pattern does not read)
            "#endif",
        ]
    )
    assert legacy_framework_rows(text) == [(4, 4), (7, 7), (14, 14)]
    assert legacy_framework_rows("class A {}\n") == []


PYTHON_NOTIFIER = """\
from requests.exceptions import RequestException
BINDING


def notify(url, payload):
    try:
        return requests.post(url, json=payload)
    except RequestException:
        return None
"""


def test_requests_bound_to_the_projects_own_client_is_left_to_that_client():
    # The library itself: no default timeout, the call is flagged.
    library = PYTHON_NOTIFIER.replace("BINDING", "import requests")
    assert _findings("http-call-without-timeout", "python", "svc/notify.py", library) == [(7, "medium")]
    # A project wrapper under the library's name, which sets its timeout in one place.
    for binding in (
        "from app.utils import requests",
        "from . import requests",
        "from app.http import Session\nrequests = Session(max_retries=3)",
        "import app.http_client as requests",
    ):
        source = PYTHON_NOTIFIER.replace("BINDING", binding)
        assert _findings("http-call-without-timeout", "python", "svc/notify.py", source) == [], binding


JAVA_DOWNLOADER = """\
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;

class Downloader {
    private HttpURLConnection getConnection(String url) throws Exception {
        HttpURLConnection conn = (HttpURLConnection) new URL(url).openConnection();
        conn.setRequestProperty("Accept", "application/json");
        return conn;
    }

    InputStream download(String url) throws Exception {
        HttpURLConnection conn = getConnection(url);
        BOUNDS
        return conn.getInputStream();
    }
MORE}
"""


def test_connections_a_class_opens_in_one_method_and_bounds_in_another_are_left_alone():
    def found(bounds: str, more: str = "") -> list[tuple[int, str]]:
        source = JAVA_DOWNLOADER.replace("BOUNDS", bounds).replace("MORE", more)
        return _findings("http-client-without-timeout", "java", "Downloader.java", source)

    # The caller of the factory sets both timeouts.
    assert found("conn.setConnectTimeout(2_000);\n        conn.setReadTimeout(5_000);") == []
    # A helper of the same file sets them on the connection it is handed.
    helper = "\n    void configure(HttpURLConnection c) {\n        c.setConnectTimeout(2_000);\n        c.setReadTimeout(5_000);\n    }\n"
    assert found("configure(conn);", helper) == []
    # Only one of the two timeouts, or none, leaves the connection unbounded.
    assert found("conn.setConnectTimeout(2_000);") == [(7, "medium")]
    assert found("conn.setDoInput(true);") == [(7, "medium")]
    # Timeouts of another client in the file (a request factory) do not bound this connection.
    factory = (
        "\n    RestTemplate rest(SimpleClientHttpRequestFactory factory) {\n"
        "        factory.setConnectTimeout(2_000);\n        factory.setReadTimeout(5_000);\n"
        "        return new RestTemplate(factory);\n    }\n"
    )
    assert found("conn.setDoInput(true);", factory) == [(7, "medium")]


ASYNC_VOID_CALLBACKS = """\
using System.Threading;
using System.Threading.Tasks;

class Refresher {
    private static readonly Timer Poll = new(OnPoll);

    Refresher(Callbacks callbacks, Bot bot) {
        _timer = new Timer(OnTimer);
        callbacks.Subscribe<LoggedOn>(OnLoggedOn);
        callbacks.Subscribe<Licenses>(callback => OnLicenses(bot, callback));
    }

    private async void OnTimer(object? state) { await Task.Delay(1); }

    private async void OnLoggedOn(LoggedOn callback) { await Task.Delay(1); }

    private static async void OnPoll(object? state) { await Task.Delay(1); }

    private async void OnLicenses(Bot bot, Licenses callback) { await Task.Delay(1); }

    private async void Warm() { await Task.Delay(1); }

    public Task WarmInBackground() => Task.Run(Warm);

    public async void Refresh() { await Task.Delay(1); }
}
"""


def test_async_void_callbacks_handed_to_a_void_delegate_are_low_and_methods_called_by_name_stay_medium():
    # A timer or subscription callback must be void: whether it can crash depends on its callees, so it is
    # reported only when low findings are asked for. Handed to Task.Run, or called by name, it stays medium.
    found = _findings("async-void", "csharp", "src/Refresher.cs", ASYNC_VOID_CALLBACKS)
    assert found == [(13, "low"), (15, "low"), (17, "low"), (19, "low"), (21, "medium"), (25, "medium")]


APACHE_ALERTER = """\
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;

final class WebhookAlerter {
    private final CloseableHttpClient http = HttpClients.createDefault();

    void send(String url) throws Exception {
        HttpPost post = new HttpPost(url);
        BOUNDS
        http.execute(post).close();
    }
}
"""


def test_an_apache_client_whose_requests_all_carry_timeouts_is_left_alone():
    bounded = "post.setConfig(RequestConfig.custom().setConnectTimeout(3000).setSocketTimeout(5000).build());"
    assert _findings("http-client-without-timeout", "java", "src/WebhookAlerter.java", APACHE_ALERTER.replace("BOUNDS", bounded)) == []
    # A request config that bounds only the connect phase leaves the response unbounded.
    connect_only = "post.setConfig(RequestConfig.custom().setConnectTimeout(3000).build());"
    assert _findings("http-client-without-timeout", "java", "src/WebhookAlerter.java", APACHE_ALERTER.replace("BOUNDS", connect_only)) == [(7, "medium")]


GO_UNBOUNDED_REQUESTS = """\
package notify

import (
	"context"
	"net/http"
)

func ping(url string) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func twilio(url string) error {
	req, err := http.NewRequest("POST", url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func version(url string) error {
	req, _ := http.NewRequestWithContext(context.TODO(), "GET", url, nil)
	client := &http.Client{}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func remoteVersion(url string) error {
	req, _ := http.NewRequest("GET", url, nil)
	resp, err := (&http.Client{}).Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func fetchJWKS(ctx context.Context, url string) error {
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func later(ctx context.Context, url string) error {
	req, _ := http.NewRequest("GET", url, nil)
	req = req.WithContext(ctx)
	client := &http.Client{}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}
"""


def test_go_requests_that_nothing_can_end_are_medium_and_those_with_a_callers_context_low():
    # With no client Timeout and no context on the request (`http.Get`, `http.NewRequest`,
    # `context.TODO()`), nothing ends the call: medium. With the caller's context the caller's deadline
    # may bound it, which one file cannot see: low.
    found = _findings("http-call-without-timeout", "go", "internal/notify/notify.go", GO_UNBOUNDED_REQUESTS)
    assert found == [(9, "medium"), (21, "medium"), (31, "medium"), (40, "medium"), (49, "low"), (60, "low")]
    # A client handed a transport made elsewhere may be bounded by it: low.
    handed = GO_UNBOUNDED_REQUESTS.replace("client := &http.Client{}", "client := &http.Client{Transport: transport}")
    assert _findings("http-call-without-timeout", "go", "internal/notify/notify.go", handed)[2] == (31, "low")
    # In a Go generator command the same call is tooling: low.
    assert {c for _, c in _findings("http-call-without-timeout", "go", "cmd/api-gen/main.go",
                                     GO_UNBOUNDED_REQUESTS)} == {"low"}


GO_RESTY = """\
package proxy

import "github.com/go-resty/resty/v2"

var proxyClient = resty.New().SetRetryCount(3)

func newClient() *resty.Client {
	return resty.New().SetHeader("User-Agent", "proxy")
}
"""


def test_a_resty_client_is_flagged_unless_the_file_gives_it_a_timeout_or_its_requests_a_deadline():
    assert _findings("http-client-without-timeout", "go", "server/proxy.go", GO_RESTY) == [(5, "medium"), (8, "medium")]
    # A timeout set in a builder chain bounds that client (also with the chain broken after its dots).
    chained = GO_RESTY.replace("SetRetryCount(3)", "SetRetryCount(3).SetTimeout(30 * time.Second)")
    assert _findings("http-client-without-timeout", "go", "server/proxy.go", chained) == [(8, "medium")]
    multiline = GO_RESTY.replace("SetRetryCount(3)", "SetRetryCount(3).\n\t\tSetTimeout(30 * time.Second)")
    assert _findings("http-client-without-timeout", "go", "server/proxy.go", multiline) == [(9, "medium")]
    # A timeout set later on a client variable: resty has one client-wide timeout, usually set once where
    # the client is configured, so every resty client of the file counts as bounded.
    later = GO_RESTY + "\nfunc init() {\n\tproxyClient.SetTimeout(30 * time.Second)\n}\n"
    assert _findings("http-client-without-timeout", "go", "server/proxy.go", later) == []
    # Requests bounded by a context deadline (`R().SetContext(ctx)` with `context.WithTimeout`).
    deadline = GO_RESTY + (
        "\nfunc get(url string) error {\n\tctx, cancel := context.WithTimeout(context.Background(), time.Second)\n"
        "\tdefer cancel()\n\t_, err := proxyClient.R().SetContext(ctx).Get(url)\n\treturn err\n}\n"
    )
    assert _findings("http-client-without-timeout", "go", "server/proxy.go", deadline) == []
    # Another library's New() is not resty's.
    other = GO_RESTY.replace('"github.com/go-resty/resty/v2"', '"example.com/resty"')
    assert _findings("http-client-without-timeout", "go", "server/proxy.go", other) == []


PY_RETRYING = """\
from retrying import retry


@retry(retry_on_exception=is_throttled, wait_fixed=2000)
def upload(client, body):
    return client.put("/certs", data=body, timeout=10)


@retry(wait_fixed=2000, stop_max_attempt_number=25)
def delete(client, name):
    return client.delete(f"/certs/{name}", timeout=10)
"""


def test_a_retrying_decorator_imported_by_name_retries_forever_without_a_stop_argument():
    assert _findings("retry-without-cap", "python", "certs/iam.py", PY_RETRYING) == [(4, "medium")]
    # The same decorator name from tenacity is tenacity's (its own patterns decide).
    tenacity = PY_RETRYING.replace("from retrying import retry", "from tenacity import retry")
    assert [c for _, c in _findings("retry-without-cap", "python", "certs/iam.py", tenacity)] == ["medium", "medium"]


JAVA_JAXRS = """\
import javax.ws.rs.client.Client;
import javax.ws.rs.client.ClientBuilder;

class Notifier {
    private final Client shared = ClientBuilder.newClient();
    private final Client proxied;

    Notifier(String proxyUrl) {
        proxied = ClientBuilder.newBuilder()
                .property("jersey.config.client.proxy.uri", proxyUrl)
                .build();
    }
}
"""


GO_RETRYABLE = """\
package license

import (
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

func newManager(sdk *SDK) {
	c := retryablehttp.NewClient()
	c.RetryMax = 5
	sdk.HTTPClient = c.StandardClient()
}
"""


def test_a_retryablehttp_client_is_flagged_unless_its_function_bounds_it():
    assert _findings("http-client-without-timeout", "go", "internal/license.go", GO_RETRYABLE) == [(10, "medium")]
    bounded = GO_RETRYABLE.replace("c.RetryMax = 5", "c.HTTPClient.Timeout = 10 * time.Second")
    assert _findings("http-client-without-timeout", "go", "internal/license.go", bounded) == []
    standard = GO_RETRYABLE.replace("c.RetryMax = 5\n\tsdk.HTTPClient = c.StandardClient()",
                                    "hc := c.StandardClient()\n\thc.Timeout = 10 * time.Second\n\tsdk.HTTPClient = hc")
    assert _findings("http-client-without-timeout", "go", "internal/license.go", standard) == []


def test_jax_rs_clients_without_timeouts_are_flagged_unless_the_file_sets_one():
    assert _findings("http-client-without-timeout", "java", "notify/Notifier.java", JAVA_JAXRS) == [
        (5, "medium"), (9, "medium")]
    bounded = JAVA_JAXRS.replace(".build();", ".connectTimeout(5, TimeUnit.SECONDS).readTimeout(30, TimeUnit.SECONDS)\n.build();")
    assert _findings("http-client-without-timeout", "java", "notify/Notifier.java", bounded) == []
    # A builder handed as it is to a wrapper that configures it (`this(ClientBuilder.newBuilder())`).
    handed = JAVA_JAXRS.replace("proxied = ClientBuilder.newBuilder()", "proxied = wrap(ClientBuilder.newBuilder())")
    assert _findings("http-client-without-timeout", "java", "notify/Notifier.java", handed) == [(5, "medium")]
    # Another library's ClientBuilder (no JAX-RS import) is not this one.
    other = JAVA_JAXRS.replace("javax.ws.rs.client", "com.example.grpc")
    assert _findings("http-client-without-timeout", "java", "notify/Notifier.java", other) == []


GO_BODIES = """\
package registry

import (
	"errors"
	"io"
	"net/http"
	"testing"
)

func digest(client *http.Client, req *http.Request) (string, error) {
	res, err := client.Do(req)
	if err != nil {
		return "", err
	}
	return res.Header.Get("Docker-Content-Digest"), nil
}

func token(client *http.Client, req *http.Request) ([]byte, error) {
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(resp.Body)
}

func image(client *http.Client, req *http.Request) ([]byte, error) {
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, errors.New(resp.Status)
	}
	return io.ReadAll(resp.Body)
}

func expectRedirect(t *testing.T, client *http.Client, uri string) string {
	resp, err := client.Get(uri)
	if err != nil {
		t.Fatal(err)
	}
	return resp.Header.Get("Location")
}
"""


def test_go_bodies_never_read_are_medium_and_bodies_read_to_the_end_low():
    # Only headers read: the connection never goes back to the pool (default pack). The whole body read with
    # io.ReadAll: net/http releases the connection at its end, so only an error path leaks (low). A helper
    # taking a *testing.T is test code wherever it lives. A status check that returns before the read leaves
    # every other response unread: medium again.
    assert _findings("response-body-not-closed", "go", "pkg/registry/client.go", GO_BODIES) == [
        (11, "medium"), (19, "low"), (27, "medium")]


GO_REQUESTS = """\
package proxy

import (
	"context"
	"net"
	"net/http"
)

func connect(ctx context.Context, conn net.Conn, target string) error {
	req, err := http.NewRequest(http.MethodConnect, target, nil)
	if err != nil {
		return err
	}
	return req.Write(conn)
}

func status(ctx context.Context, client *http.Client, url string) (int, error) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return 0, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}

func other(ctx context.Context, client *http.Client, req *http.Request) (*http.Response, error) {
	return client.Do(req.WithContext(ctx))
}
"""


def test_go_requests_without_the_callers_context_are_medium_unless_written_onto_a_held_connection():
    # The file attaches a context elsewhere; the function that drops its own is still flagged (default pack).
    # A CONNECT request serialised onto a connection with req.Write has no transport for a context to stop.
    assert _findings("request-without-context", "go", "internal/proxy/proxy.go", GO_REQUESTS) == [(18, "medium")]


GO_PLUGIN_CLIENT = """\
package logmon

import (
	"context"

	"example.com/agent/logmon/proto"
)

type logmonClient struct {
	client proto.LogMonClient
	names  Names
}

func (c *logmonClient) Start(req *proto.StartRequest) error {
	_, err := c.client.Start(context.Background(), req)
	return err
}

func (c *logmonClient) Stop(ctx context.Context) error {
	_, err := c.client.Stop(context.Background(), &proto.StopRequest{})
	return err
}

func (c *logmonClient) Lookup() error {
	_, err := c.names.Lookup(context.Background(), "x")
	return err
}
"""


def test_go_calls_on_a_declared_generated_client_need_a_deadline_without_a_grpc_import():
    # The file imports only the generated package: the field's type names the stub. A function with a context
    # of its own is context-not-propagated's case; a receiver of another type is not a stub.
    assert _findings("grpc-call-without-deadline", "go", "client/logmon/client.go", GO_PLUGIN_CLIENT) == [
        (15, "medium")]


CS_POOL_WAITS = """\
using System;
using System.Threading;
using System.Threading.Tasks;

public sealed class StatsService
{
    private readonly SemaphoreSlim _gate = new SemaphoreSlim(1, 1);

    public Task<string> StatsAsync(Func<Task<string>> connect)
    {
        var connection = Task.Run(() => connect()).Result;
        return Task.FromResult(connection);
    }

    public string Stats(Func<Task<string>> connect)
    {
        return Task.Run(() => connect()).Result;
    }

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync();
        _gate.Release();
    }
}
"""


def test_csharp_waits_on_queued_work_and_untokened_semaphore_waits():
    # A wait on Task.Run work inside a Task-returning method is in the default pack; the same bridge in a sync
    # method is low (a deliberate sync-over-async bridge). An unbounded semaphore wait ignores the token.
    assert _findings("sync-over-async", "csharp", "Services/StatsService.cs", CS_POOL_WAITS) == [
        (11, "medium"), (17, "low")]
    assert _findings("cancellation-token-not-forwarded", "csharp", "Services/StatsService.cs", CS_POOL_WAITS) == [
        (22, "medium")]


IOREDIS_WRAPPER = """\
import { Redis as RedisDriver } from 'ioredis'

export class Redis {
  driver: RedisDriver
  constructor(opts: { host: string } | { driver: RedisDriver }) {
    this.driver = 'driver' in opts ? opts.driver : new RedisDriver({ host: opts.host, commandTimeout: 500 })
  }

  withNamespace(namespace: string): Redis {
    return new Redis({ driver: this.driver })
  }
}
"""


def test_a_projects_own_redis_class_wrapping_ioredis_is_not_the_ioredis_constructor():
    def flagged(source: str) -> list[int]:
        rules = [r for r in PACK.by_id("datastore-client-without-timeout") if r.language == "typescript"]
        engine = Engine(RuleSet(rules[0].path.parent.parent, rules))
        report = engine.analyze("src/redis.ts", source.encode(), language="typescript", grammar="typescript")
        return [f.line for f in report.findings]

    assert flagged(IOREDIS_WRAPPER) == []
    # the same construction where `Redis` is ioredis's own class
    plain = IOREDIS_WRAPPER.replace("import { Redis as RedisDriver } from 'ioredis'", "import { Redis } from 'ioredis'")
    plain = plain.replace("export class Redis {", "export class Cache {").replace("RedisDriver", "Redis")
    assert flagged(plain) == [10]


def test_python_2_urlopen_without_a_timeout_is_flagged_like_urllib_requests():
    legacy = "import urllib2\n\n\ndef log_slice(url):\n    return urllib2.urlopen(url).read()\n"
    assert _findings("http-call-without-timeout", "python", "webapp/api/logslice.py", legacy) == [(5, "low")]
    bounded = legacy.replace("urlopen(url)", "urlopen(url, timeout=10)")
    assert _findings("http-call-without-timeout", "python", "webapp/api/logslice.py", bounded) == []


def test_a_urllib3_pool_is_flagged_unless_the_file_bounds_its_requests():
    pool = "import urllib3\n\nhttp = urllib3.PoolManager()\n\n\ndef token(url):\n    return http.request('PUT', url{extra}).data\n"
    assert _findings("http-client-without-timeout", "python", "svc/meta.py", pool.format(extra="")) == [(3, "low")]
    assert _findings("http-client-without-timeout", "python", "svc/meta.py", pool.format(extra=", timeout=2.0")) == []
    # Not urllib3's: a project class of the same name in a file that does not import urllib3.
    own = "from .pools import PoolManager\n\nhttp = PoolManager()\n"
    assert _findings("http-client-without-timeout", "python", "svc/meta.py", own) == []


def test_a_fetch_imported_from_the_projects_own_module_is_not_the_global_fetch():
    rules = [r for r in PACK.by_id("http-call-without-timeout") if r.language == "typescript"]
    engine = Engine(RuleSet(rules[0].path.parent.parent, rules))
    body = "\nexport async function run(plan: Plan) {\n  return fetch(plan);\n}\n"

    def lines(head: str) -> list[int]:
        report = engine.analyze("packages/db/src/engine/index.ts", (head + body).encode(), language="typescript", grammar="typescript")
        return [f.line for f in report.findings]

    assert lines("import { fetch } from './fetch';") == []
    assert lines("import { compile, fetch } from '../engine/stages';") == []
    assert lines("import fetch from './fetch';") == []
    assert lines("import { fetch } from '@/lib/fetch';") == [], "a path alias names a project module too"
    assert lines("import { fetch } from '~/fetch';") == []
    assert lines("import { fetch } from '#fetch';") == []
    assert lines("import { fetch } from '@whatwg/fetch';") == [3], "a scoped package is not an alias"
    assert lines("import { fetch } from 'undici';") == [3], "a package's fetch is still an HTTP call"
    assert lines("import { compile } from './fetch';") == [3]


def test_a_redis_command_blocks_the_loop_only_from_a_sync_client():
    body = "\n\nclass Stats:\n    async def depth(self, name):\n        return self.redis.llen(name)\n"

    def lines(head: str) -> list[tuple[int, str]]:
        return _findings("blocking-call-in-async", "python", "svc/stats.py", head + body)

    assert lines("import redis") == [(5, "low")]
    # redis-py's asyncio API (or aioredis) imported: its commands return awaitables, gathered elsewhere.
    assert lines("import redis.asyncio as redis") == []
    assert lines("from redis import asyncio as redis") == []
    assert lines("import aioredis as redis") == []
    # No redis-py at all: a project object that happens to be called redis.
    assert lines("from .store import redis") == []


def test_the_request_library_imported_as_a_namespace_is_still_the_request_library():
    body = "\nexport const get = (url: string, cb) => {\n  const options = { url, headers: {} };\n  return request.get(options, cb);\n};\n"
    flagged = _findings("http-call-without-timeout", "typescript", "src/request.ts", "import * as request from 'request';\n" + body)
    assert [line for line, _ in flagged] == [5]
    bounded = body.replace("headers: {} }", "headers: {}, timeout: 10000 }")
    assert _findings("http-call-without-timeout", "typescript", "src/request.ts", "import * as request from 'request';\n" + bounded) == []
    # A project module named request is not the library.
    assert _findings("http-call-without-timeout", "typescript", "src/request.ts", "import * as request from './request';\n" + body) == []


def test_a_bare_then_chain_in_angularjs_code_is_browser_code():
    body = (
        "function load($http) {\n"
        "  $http.get('internalapi/tasks').then(function (response) { render(response.data); });\n"
        "}\n"
    )
    # A Node module: the chain's rejection is nobody's.
    assert _findings("floating-promise", "javascript", "core/src/tasks.js", body) == [(2, "low")]
    # AngularJS code runs in the page, whose $http interceptors report failures.
    angular = "angular.module('hydra').directive('tasks', tasks);\n\n" + body
    assert _findings("floating-promise", "javascript", "core/ui-src/js/tasks.js", angular) == []
    scoped = body.replace("render(response.data)", "$scope.tasks = response.data")
    assert _findings("floating-promise", "javascript", "core/ui-src/js/tasks.js", scoped) == []


GO_TLS = """\
package feeds

import (
	"crypto/tls"
	"net/http"
)

func transportFor(cfg Config) *http.Transport {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	if cfg.TLSSkipVerify {
		tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: true}
	}
	if cfg.Region == "eu" {
		tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: true}
	}
	return tr
}
"""

PY_TLS = """\
import smtplib
import ssl


def mailer(settings):
    context = ssl.create_default_context()
    if settings.SMTP_SKIP_SSL_VERIFY:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    plain = ssl.create_default_context()
    plain.verify_mode = ssl.CERT_NONE
    return smtplib.SMTP_SSL(settings.host, context=context), plain
"""

CS_TLS = """\
using System.Net.Http;

public sealed class ServiceClient
{
    public HttpClient Create(ServerConnection connection)
    {
        var handler = new HttpClientHandler();
        if (connection.AllowUntrusted)
        {
            handler.ServerCertificateCustomValidationCallback = (message, cert, chain, errors) => true;
        }
        var other = new HttpClientHandler();
        other.ServerCertificateCustomValidationCallback = (message, cert, chain, errors) => true;
        return new HttpClient(handler);
    }
}
"""

JS_TLS = """\
const https = require('https');

function agentFor(settings) {
  if (settings.insecureTls) {
    return new https.Agent({ rejectUnauthorized: false });
  }
  if (process.env.NODE_TLS_REJECT_UNAUTHORIZED !== '0') {
    return new https.Agent({ rejectUnauthorized: false });
  }
  return https.globalAgent;
}
"""


GO_TLS_SWITCH = """\
package dispatch

import "crypto/tls"

func TLSConfigOption(insecureSkipVerify bool, custom *tls.Config) Option {
	return func(d *Dispatcher) error {
		switch {
		case insecureSkipVerify:
			d.transport.TLSClientConfig = &tls.Config{InsecureSkipVerify: true}
		case custom != nil:
			d.transport.TLSClientConfig = custom
		}
		return nil
	}
}
"""

JAVA_TLS = """\
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

class SearchClientFactory {
    SSLContext context(boolean sslTrustAllCertificates) throws Exception {
        SSLContext sslContext = SSLContext.getInstance("TLS");
        if (sslTrustAllCertificates) {
            sslContext.init(null, new TrustManager[] { new X509TrustManager() {
                public X509Certificate[] getAcceptedIssuers() { return null; }
                public void checkClientTrusted(X509Certificate[] certs, String authType) { }
                public void checkServerTrusted(X509Certificate[] certs, String authType) { }
            } }, new SecureRandom());
        }
        return sslContext;
    }
}
"""


def test_tls_switched_off_only_when_an_operator_setting_asks_is_low_and_unguarded_stays_in_the_default_pack():
    # The branch an insecure / skip-verify / allow-untrusted setting chooses is an opt-in (`low`); the same
    # line under an unrelated condition, or under no condition, keeps the rule's confidence. Node's own
    # NODE_TLS_REJECT_UNAUTHORIZED is not such a setting.
    assert _findings("tls-verification-disabled", "go", "internal/feed/client.go", GO_TLS) == [
        (11, "low"), (14, "medium")]
    assert _findings("tls-verification-disabled", "python", "alerta/mailer.py", PY_TLS) == [
        (9, "low"), (11, "medium")]
    assert _findings("tls-verification-disabled", "csharp", "Client/ServiceClient.cs", CS_TLS) == [
        (10, "low"), (13, "medium")]
    assert _findings("tls-verification-disabled", "javascript", "lib/agent.js", JS_TLS) == [
        (5, "low"), (8, "medium")]
    # A Go `switch { case insecureSkipVerify: ... }` and a Java trust-all class built inside the `if`.
    assert _findings("tls-verification-disabled", "go", "net/dispatcher.go", GO_TLS_SWITCH) == [(9, "low")]
    assert _findings("tls-verification-disabled", "java", "SearchClientFactory.java", JAVA_TLS) == [(14, "low")]
    unguarded = JAVA_TLS.replace("if (sslTrustAllCertificates)", "if (sslContext != null)")
    assert _findings("tls-verification-disabled", "java", "SearchClientFactory.java", unguarded) == [(14, "medium")]


JAVA_BUNDLE_ENTRIES = """\
import java.io.InputStream;
import java.net.URL;
import java.util.Enumeration;

class ScriptLoader {
    void loadScripts() throws Exception {
        Enumeration<URL> scripts = bundleContext.getBundle().findEntries("META-INF/cxs/painless", "*.painless", true);
        while (scripts.hasMoreElements()) {
            load(scripts.nextElement());
        }
    }

    void load(URL scriptURL) throws Exception {
        try (InputStream in = scriptURL.openStream()) {
            register(in);
        }
    }
}
"""


def test_a_file_reading_its_osgi_bundle_entries_opens_local_urls():
    # `bundle.findEntries(...)` hands out `bundle:` URLs of the package itself, often to a loader method
    # beside it; the same loader in a file that reads no entries may be fetching a remote URL.
    assert _findings("http-call-without-timeout", "java", "ScriptLoader.java", JAVA_BUNDLE_ENTRIES) == []
    remote = JAVA_BUNDLE_ENTRIES.replace('bundleContext.getBundle().findEntries("META-INF/cxs/painless", "*.painless", true)',
                                         "registry.scriptUrls()")
    assert _findings("http-call-without-timeout", "java", "ScriptLoader.java", remote) == [(14, "medium")]


TS_CLI_FETCH = """\
import axios from "axios";
export async function pull(url: string, token: string) {
  const res = await axios.get(url, { headers: { authorization: `Bearer ${token}` } });
  return res.data;
}
"""


def test_timeouts_in_a_command_line_package_are_low():
    # One user at a terminal or one CI job waits on a CLI's request; the same code in a server is in the default pack.
    assert _findings("http-call-without-timeout", "typescript", "packages/cli/lib/services/pull.service.ts",
                     TS_CLI_FETCH) == [(3, "low")]
    assert _findings("http-call-without-timeout", "typescript", "packages/server/lib/services/pull.service.ts",
                     TS_CLI_FETCH) == [(3, "medium")]
    # Node's own fetch without a signal is opt-in anywhere: undici gives up after 300 s without data.
    undici = TS_CLI_FETCH.replace('import axios from "axios";\n', "").replace("axios.get(url, ", "fetch(url, ")
    assert _findings("http-call-without-timeout", "typescript", "packages/server/lib/services/pull.service.ts",
                     undici) == [(2, "low")]


LOOPBACK_SEEDER = """\
#!/usr/bin/env python
import requests

HUB_API_ROOT = "https://localhost/api/galaxy/"

rr = requests.get(
    HUB_API_ROOT + "_ui/v2/role_definitions/",
    verify=False,
)
"""


def test_a_script_that_only_talks_to_this_host_is_quiet_and_a_remote_url_brings_it_back():
    # A `#!` script whose every URL is a loopback one (a seeder run against the local dev server): no
    # network in between, nothing waiting on it.
    for rule in ("http-call-without-timeout", "tls-verification-disabled"):
        assert _findings(rule, "python", "profiles/dab/make_test_data.py", LOOPBACK_SEEDER) == [], rule
    # The same script naming a remote endpoint too is in scope; so is a module without `#!` (a service
    # module whose other calls take their URLs from configuration).
    remote = LOOPBACK_SEEDER.replace('"https://localhost/api/galaxy/"', '"https://localhost/api/galaxy/"\nUPSTREAM = "https://galaxy.ansible.com/api/"')
    module = LOOPBACK_SEEDER.removeprefix("#!/usr/bin/env python\n")
    for source in (remote, module):
        call = source.split("\n").index("rr = requests.get(") + 1
        assert [line for line, _ in _findings("http-call-without-timeout", "python", "svc/seed.py", source)] == [call]
        assert [line for line, _ in _findings("tls-verification-disabled", "python", "svc/seed.py", source)] == [call + 2]


PROBE = """\
#!/usr/bin/env python3
import sys

import requests


def is_api_healthy(path):
    address = "127.0.0.1"
    response = requests.get(f"http://{address}:8000{path}")
    return response.status_code == 200


if not is_api_healthy(sys.argv[1]):
    sys.exit(1)
"""


@pytest.mark.parametrize(
    ("path", "quiet"),
    [
        ("galaxy-operator/bin/readyz.py", True),
        ("deploy/healthz.py", True),
        ("docker/liveness_probe.py", True),
        ("docker/docker-healthcheck.py", True),
        # a module whose name only contains the word is the product
        ("svc/readyz_client.py", False),
        ("svc/status.py", False),
    ],
)
def test_a_container_probe_script_is_bounded_by_whoever_runs_it(path, quiet):
    # A probe script (by its name) that checks the server on this host: the kubelet or container runtime
    # that runs it bounds the run with its own timeout.
    found = _findings("http-call-without-timeout", "python", path, PROBE)
    assert (found == []) is quiet, found
    # A probe of a remote dependency stays in scope.
    remote = PROBE.replace('address = "127.0.0.1"', 'address = "payments.internal"')
    assert _findings("http-call-without-timeout", "python", path, remote) == [(9, "medium")]


JAVA_RELEASE_CHECK = """\
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

class ReleaseCheck {
    private final HttpClient client = HttpClient.newHttpClient();
    private final HttpClient redirecting = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();

    String latest() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://api.example.com/releases/latest"))REQUEST_TIMEOUT.build();
        return client.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }
}
"""


def test_a_jdk_client_whose_requests_carry_a_timeout_is_not_flagged_for_its_connect_timeout():
    bounded = JAVA_RELEASE_CHECK.replace("REQUEST_TIMEOUT", ".timeout(Duration.ofSeconds(30))")
    assert _findings("http-client-without-timeout", "java", "ReleaseCheck.java", bounded) == []
    unbounded = JAVA_RELEASE_CHECK.replace("REQUEST_TIMEOUT", "")
    assert [line for line, _ in _findings("http-client-without-timeout", "java", "ReleaseCheck.java", unbounded)] == [8, 9]


JAVA_WEBHOOK_WORKER = """\
import org.apache.commons.httpclient.HttpClient;
import org.apache.commons.httpclient.methods.PostMethod;

class WebhookWorker {
    void post(String url, int timeout) throws Exception {
        HttpClient client = new HttpClient();
        client.getParams().setConnectionManagerTimeout(timeout);
        BOUNDS
        client.executeMethod(new PostMethod(url));
    }
}
"""


@pytest.mark.parametrize(
    "bounds",
    [
        "client.getHttpConnectionManager().getParams().setSoTimeout(timeout);",
        "client.getHttpConnectionManager().getParams().setConnectionTimeout(timeout);",
        'client.getParams().setParameter("http.socket.timeout", timeout);',
        "client.getParams().setParameter(HttpMethodParams.SO_TIMEOUT, timeout);",
    ],
)
def test_a_commons_httpclient_is_flagged_until_the_file_gives_it_a_socket_or_connect_timeout(bounds):
    # The pool-wait timeout alone bounds nothing once a connection is taken.
    assert _findings("http-client-without-timeout", "java", "WebhookWorker.java", JAVA_WEBHOOK_WORKER.replace("BOUNDS", "")) == [(6, "medium")]
    assert _findings("http-client-without-timeout", "java", "WebhookWorker.java", JAVA_WEBHOOK_WORKER.replace("BOUNDS", bounds)) == []
    # Another library's HttpClient of the same name (Jetty's) is not this one.
    jetty = JAVA_WEBHOOK_WORKER.replace("org.apache.commons.httpclient.HttpClient", "org.eclipse.jetty.client.HttpClient").replace(
        "import org.apache.commons.httpclient.methods.PostMethod;\n", "")
    assert _findings("http-client-without-timeout", "java", "WebhookWorker.java", jetty.replace("BOUNDS", "")) == []


POLL_STEP = """\
IMPORT

export default async function publishedAfterMigration(client, id) {
  for (let i = 0; i < 20; i++) {
    sleep(30);
    if (client.check(id)) return true;
  }
  return false;
}
"""


@pytest.mark.parametrize("language, path", [("javascript", "verify.js"), ("typescript", "verify.ts")])
@pytest.mark.parametrize("source, flagged", [
    # k6's sleep, and the sleep modules, block for their time: the loop does pause.
    ("import { check, sleep } from 'k6';", False),
    ("const sleep = require('sleep-sync');", False),
    ("const { sleep } = require('system-sleep');", False),
    # A promise-returning sleep called without await: the loop spins.
    ("import { setTimeout as sleep } from 'node:timers/promises';", True),
    ("const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));", True),
])
def test_an_unawaited_sleep_in_a_loop_is_flagged_unless_the_sleep_blocks(language, path, source, flagged):
    found = _findings("polling-loop-without-delay", language, path, POLL_STEP.replace("IMPORT", source))
    assert found == ([(5, "medium")] if flagged else [])


def test_an_unawaited_call_of_the_files_own_busy_wait_sleep_does_pause():
    source = POLL_STEP.replace("IMPORT", "function sleep(s) { const end = Date.now() + s * 1000; while (Date.now() < end) {} }")
    # Only the busy wait itself (opt-in), not the loop that calls it.
    assert _findings("polling-loop-without-delay", "javascript", "verify.js", source) == [(1, "low")]


APACHE_IMPORTER = """\
import java.util.Optional;
import IMPORT.config.RequestConfig;
import IMPORT.impl.client.CloseableHttpClient;

class LiveImportClient {
    String get(int timeout, String url) throws Exception {
        RequestConfig config = RequestConfig.custom().setConnectionRequestTimeout(timeout).build();
        RequestConfig bounded = RequestConfig.custom().setConnectTimeout(timeout).setSocketTimeout(timeout).build();
        return send(url, config, bounded);
    }
}
"""


def test_a_request_config_bounding_only_the_connection_wait_is_flagged_in_httpclient_4_not_5():
    # HttpClient 4: an unset socket timeout is infinite, so bounding only the pool wait leaves reads unbounded.
    v4 = APACHE_IMPORTER.replace("IMPORT", "org.apache.http.client")
    assert _findings("http-client-without-timeout", "java", "LiveImportClient.java", v4) == [(7, "medium")]
    # HttpClient 5: an unset response timeout falls back to the socket config's three-minute default.
    v5 = APACHE_IMPORTER.replace("IMPORT", "org.apache.hc.client5.http")
    assert _findings("http-client-without-timeout", "java", "LiveImportClient.java", v5) == []
    # A file that configures socket timeouts elsewhere bounds the reads there.
    socket = v4.replace("import java.util.Optional;", "import org.apache.http.config.SocketConfig;")
    assert _findings("http-client-without-timeout", "java", "LiveImportClient.java", socket) == []


GO_ADMIN_COMMAND = """\
package main

import (
	"net/http"

	cli "github.com/urfave/cli/v2"
)

var listUpstreamsCmd = &cli.Command{
	Name: "list",
	Action: func(cctx *cli.Context) error {
		req, err := http.NewRequest("GET", cctx.String("relay")+"/admin/subs", nil)
		if err != nil {
			return err
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		return show(resp)
	},
}

func fetchUpstreams(url string) (*http.Response, error) {
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		return nil, err
	}
	return http.DefaultClient.Do(req)
}
"""


def test_a_request_made_in_the_body_of_a_command_line_command_counts_as_low():
    # The urfave/cli action runs once for the person at the terminal; the same request in a function of its
    # own (which a service's loop may call) stays at the rule's confidence.
    found = _findings("http-call-without-timeout", "go", "cmd/admin/main.go", GO_ADMIN_COMMAND)
    assert found == [(16, "low"), (29, "medium")]


DROPPED_TASKS = """\
import asyncio
import logging

logger = logging.getLogger(__name__)


class Worker:
    def start(self):
        asyncio.create_task(self._refresh())
        asyncio.ensure_future(self._poll_forever())
        asyncio.create_task(self._sync())

    async def _refresh(self):
        try:
            await fetch_all()
        except Exception:
            logger.exception("refresh failed")

    async def _poll_forever(self):
        while True:
            try:
                await poll_once()
            except Exception:
                logger.exception("poll failed")
            await asyncio.sleep(30)

    async def _sync(self):
        await fetch_all()
"""


def test_dropped_tasks_whose_coroutine_handles_its_own_failures_are_low():
    # Nothing escapes the first two coroutines, so only the task's weak reference is at stake: opt-in.
    # The third can fail unseen: default pack.
    found = _findings("fire-and-forget-task", "python", "svc/worker.py", DROPPED_TASKS)
    assert found == [(9, "low"), (10, "low"), (11, "medium")]


STATUS_CHECK_FIRST = """\
package {pkg}

import (
	"fmt"
	"net/http"
{extra}
)

func fetch(hc *http.Client, url string) error {{
	resp, err := hc.Get(url)
	if err != nil {{
		return err
	}}
	if resp.StatusCode != http.StatusOK {{
		return fmt.Errorf("fetch: %s", resp.Status)
	}}
	defer resp.Body.Close()
	return nil
}}
"""


def test_a_body_closed_only_after_a_status_check_that_leaves_is_low_in_a_command_line_command():
    service = STATUS_CHECK_FIRST.format(pkg="client", extra="")
    command = STATUS_CHECK_FIRST.format(pkg="cmd", extra='\t"github.com/spf13/cobra"\n')
    assert _findings("response-body-not-closed", "go", "client/fetch.go", service) == [(14, "medium")]
    assert _findings("response-body-not-closed", "go", "cmd/fetch.go", command) == [(15, "low")]


STATE_SETTER = """\
import { useState } from "react";

export function Pricing() {
  DECLARE
  return plans.map((value) => ({ label: value, onClick: () => setInterval(value) }));
}
"""


@pytest.mark.parametrize("language", ["typescript", "javascript"])
def test_a_state_setter_named_set_interval_is_not_the_timer(language):
    path = "pricing.ts" if language == "typescript" else "pricing.js"
    setter = STATE_SETTER.replace("DECLARE", 'const [interval, setInterval] = useState("annual");')
    assert _findings("polling-loop-without-delay", language, path, setter) == []
    # The same call of the global timer: a callback with no delay.
    timer = STATE_SETTER.replace("DECLARE", "const poll = () => refresh();").replace("setInterval(value)", "setInterval(poll)")
    assert _findings("polling-loop-without-delay", language, path, timer) == [(5, "medium")]


PYTHON_SESSION = """\
from requests import IMPORTED

SUBCLASS

def probe_proxy(url):
    with Session() as session:
        return session.get(url).status_code
"""

OWN_SESSION = """\
class Session(RSession):
    def request(self, method, url, timeout=30, **kwargs):
        return super().request(method, url, timeout=timeout, **kwargs)
"""


def test_a_session_class_the_file_defines_or_renames_is_the_projects_own():
    plain = PYTHON_SESSION.replace("IMPORTED", "Session").replace("SUBCLASS", "")
    assert _findings("http-call-without-timeout", "python", "helpers.py", plain) == [(7, "medium")]
    own = PYTHON_SESSION.replace("IMPORTED", "Session as RSession").replace("SUBCLASS", OWN_SESSION)
    assert _findings("http-call-without-timeout", "python", "helpers.py", own) == []
    shadowed = PYTHON_SESSION.replace("IMPORTED", "Session").replace("SUBCLASS", OWN_SESSION.replace("RSession", "Session"))
    assert _findings("http-call-without-timeout", "python", "helpers.py", shadowed) == []
