"""C# task rules on whole snippets: one finding per blocking expression, whatever shape it has."""

from __future__ import annotations

from bot.analyze.engine import Engine
from bot.analyze.rules import RuleSet, load_rules

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
