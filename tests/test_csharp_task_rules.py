"""C# task rules on whole snippets: one finding per blocking expression, whatever shape it has."""

from __future__ import annotations

from bot.analyze.engine import Engine
from bot.analyze.rules import RuleSet, load_rules
from bot.models import Confidence

PACK = load_rules()

BLOCKING = b"""
using System.Threading.Tasks;

class Chunk
{
    int Read(byte[] buffer)
    {
        var reading = LoadAsync(buffer);
        reading.Wait();
        var done = reading.Wait(5000);
        return reading.Result;
    }

    Task<int> LoadAsync(byte[] buffer) => Task.FromResult(buffer.Length);
}
"""


def test_sync_over_async_reports_each_wait_on_a_local_task_once():
    rules = [r for r in PACK.by_id("sync-over-async") if r.language == "csharp"]
    engine = Engine(RuleSet(rules[0].path.parent.parent, rules))
    report = engine.analyze("Chunk.cs", BLOCKING, language="csharp", grammar="csharp")
    found = sorted((f.line, f.snippet.strip()) for f in report.findings)
    assert found == [
        (9, "reading.Wait();"),
        (10, "var done = reading.Wait(5000);"),
        (11, "return reading.Result;"),
    ]
    assert len({f.fingerprint for f in report.findings}) == 3


WAITS = b"""
using System;
using System.Threading.Tasks;

class Orders
{
    public Orders(IStore store) { _ready = store.OpenAsync().GetAwaiter().GetResult(); }

    public async Task<int> CountAsync(IStore store) { await Task.Yield(); return store.CountAsync().Result; }

    public Task<int> Count(IStore store) => Task.FromResult(store.CountAsync().Result);

    public int CountNow(IStore store) => store.CountAsync().Result;

    public void Dispose() => _store.CloseAsync().Wait();

    public Task Warm(IStore store) { Func<int> f = () => store.CountAsync().Result; return Task.CompletedTask; }
}
"""


def test_sync_over_async_is_in_the_default_pack_only_inside_async_code():
    rules = [r for r in PACK.by_id("sync-over-async") if r.language == "csharp"]
    engine = Engine(RuleSet(rules[0].path.parent.parent, rules))
    report = engine.analyze("Orders.cs", WAITS, language="csharp", grammar="csharp")
    by_line = {f.line: f.confidence.label for f in report.findings}
    # Every wait is found; only the ones in an async method or a Task-returning method count as medium.
    assert by_line == {7: "low", 9: "medium", 11: "medium", 13: "low", 15: "low", 17: "low"}
    default = RuleSet(rules[0].path.parent.parent, rules).select(min_confidence=Confidence.MEDIUM)
    assert sorted(f.line for f in Engine(default).analyze("Orders.cs", WAITS, language="csharp", grammar="csharp").findings) == [9, 11]


QUERIES = b"""
using System.Threading;
using System.Threading.Tasks;
using Microsoft.EntityFrameworkCore;

class Orders
{
    public async Task<int> Close(string id, CancellationToken ct)
    {
        var order = await _db.Orders.FirstOrDefaultAsync(o => o.Id == id);
        var lines = await _db.Lines.Where(l => l.OrderId == id).ToListAsync();
        await _db.Lines.Where(l => l.OrderId == id).ExecuteDeleteAsync();
        order.Status = "closed";
        return await _db.SaveChangesAsync();
    }
}
"""


def test_token_left_off_a_single_row_read_or_a_commit_is_low_and_off_bulk_work_is_not():
    rules = [r for r in PACK.by_id("cancellation-token-not-forwarded") if r.language == "csharp"]
    engine = Engine(RuleSet(rules[0].path.parent.parent, rules))
    report = engine.analyze("Orders.cs", QUERIES, language="csharp", grammar="csharp")
    by_line = {f.line: f.confidence.label for f in report.findings}
    # The lookup and the commit are one short command each; the list read and the bulk delete are not.
    assert by_line == {10: "low", 11: "medium", 12: "medium", 14: "low"}
