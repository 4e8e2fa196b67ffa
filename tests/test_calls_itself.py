"""The `calls-itself` condition: a call whose name is that of a function it sits in (a retry by recursion)."""

from __future__ import annotations

import textwrap

import pytest
from test_rules_loading import GOOD, load_with

from bot.analyze.conditions import FileContext, calls_itself, function_names
from bot.analyze.engine import Engine
from bot.analyze.rules import RuleSet
from bot.errors import RuleError
from bot.syntax import treesitter
from bot.syntax.treesitter import Node

# A function's own name node sits under one of these; a call's name does not.
FUNCTION_DECLARATIONS = frozenset({"function_declaration", "method_declaration", "function_definition"})


def _calls(grammar: str, source: str) -> list[tuple[str, bool, list[str]]]:
    """Each call's name in the source, whether it calls itself, and the names of the functions around it."""
    tree = treesitter.parse(grammar, source.encode())
    ctx = FileContext(language=grammar, text=source, sub={})
    out: list[tuple[str, bool, list[str]]] = []

    def walk(node: Node) -> None:
        if node.type in ("call_expression", "call", "method_invocation", "invocation_expression"):
            fn = node.child_by_field_name("function") or node.child_by_field_name("name")
            if fn is not None:
                name = fn.child_by_field_name("property") or fn.child_by_field_name("attribute") or fn.child_by_field_name("field") or fn
                out.append((ctx.text_of(name), calls_itself(name, ctx), list(function_names(name, ctx))))
        for child in node.children:
            walk(child)

    walk(tree.root_node)
    return out


def test_a_prototype_method_calling_itself_from_a_nested_callback():
    calls = _calls(
        "javascript",
        "Loader.prototype.getNetwork = function (cb) {\n"
        "  transport.get({}, function (err, data) { if (err) { return self.getNetwork(cb); } cb(null, data); });\n"
        "};\n",
    )
    by_name = {name: (itself, names) for name, itself, names in calls}
    assert by_name["getNetwork"] == (True, ["getNetwork"])  # the callback is anonymous: its name is its binder's
    assert by_name["get"][0] is False
    assert by_name["cb"][0] is False


@pytest.mark.parametrize(
    ("grammar", "source", "name"),
    [
        ("javascript", "const connect = async () => { try { await dial(); } catch (e) { return connect(); } };\n", "connect"),
        ("javascript", "const client = { poll: function () { queue.on('error', () => this.poll()); } };\n", "poll"),
        ("typescript", "class Feed { retry = async (): Promise<void> => { try { await x(); } catch { await this.retry(); } }; }\n", "retry"),
        ("python", "class C:\n    def connect(self):\n        try:\n            dial()\n        except OSError:\n            return self.connect()\n", "connect"),
        ("go", "package a\nfunc (c *C) dial() error {\n\tif err := x(); err != nil {\n\t\treturn c.dial()\n\t}\n\treturn nil\n}\n", "dial"),
        ("java", "class C { R connect(String h) { try { return x(h); } catch (Exception e) { return connect(h); } } }\n", "connect"),
        ("csharp", "class C { async Task<R> GetAsync() { try { return await X(); } catch (Exception) { return await GetAsync(); } } }\n", "GetAsync"),
    ],
)
def test_each_language_sees_a_function_calling_itself(grammar, source, name):
    calls = _calls(grammar, source)
    assert (name, True) in [(n, itself) for n, itself, _ in calls]
    # A call of another name in the same function does not.
    assert all(not itself for n, itself, _ in calls if n != name)


def test_a_same_named_method_of_another_object_is_still_the_name_only():
    # The condition compares names: the rule's query decides which receivers count (`this`, `self`, none).
    calls = _calls("javascript", "function sync() { try { a(); } catch (e) { inner.sync(); } }\n")
    assert ("sync", True) in [(n, itself) for n, itself, _ in calls]


def test_a_call_outside_any_function_calls_nothing_of_its_own():
    calls = _calls("python", "connect()\n")
    assert calls == [("connect", False, [])]


def test_the_rules_capture_must_exist(tmp_path):
    rule = GOOD + "require:\n  - calls-itself: {capture: nope}\n"
    with pytest.raises(RuleError) as err:
        load_with(tmp_path, rule)
    assert "@nope is not captured" in str(err.value)


def test_a_rule_using_it_flags_only_the_recursive_retry(tmp_path):
    rules = load_with(
        tmp_path,
        textwrap.dedent(
            """\
            id: demo-rule
            title: Demo
            severity: medium
            category: resilience/retry
            message: "retries {{callee}}"
            query: |
              ((except_clause (block (return_statement (call function: [(identifier) @callee (attribute attribute: (identifier) @callee)]) @match))))
            require:
              - calls-itself: {capture: callee, same-arguments: true}
            docs:
              what: w
              why: y
              example: e
              fix: f
            """
        ),
    )
    engine = Engine(RuleSet(tmp_path, rules.rules))
    source = (
        b"def fetch(url):\n"
        b"    try:\n"
        b"        return get(url)\n"
        b"    except OSError:\n"
        b"        return fetch(url)\n"
        b"\n"
        b"def load(url):\n"
        b"    try:\n"
        b"        return get(url)\n"
        b"    except OSError:\n"
        b"        return load_cached(url)\n"
    )
    report = engine.analyze("svc/x.py", source, language="python", grammar="python")
    assert [(f.line, f.message) for f in report.findings] == [(5, "retries fetch")]


@pytest.mark.parametrize(
    ("grammar", "source", "same"),
    [
        # The same inputs again, a retry count stepped, a spread or keyword of a parameter: the same work.
        ("go", "package a\nfunc (a *C) post(uri string, retry int) error {\n\treturn a.post(uri, retry+1)\n}\n", True),
        ("python", "def run(client, attempt=0):\n    run(client, attempt=attempt + 1)\n", True),
        ("javascript", "function connect(host, ...opts) { connect(host, ...opts); }\n", True),
        ("csharp", "class C { Task SeedAsync(Db db, int n) { return SeedAsync(db, n: n); } }\n", True),
        ("java", "class C { R get(String id, int tries) { return get(id, tries - 1); } }\n", True),
        # Other values: a fallback.
        ("python", "def to_enum(field, value, strict=False):\n    return to_enum(field, value.upper(), strict=True)\n", False),
        ("go", "package a\nfunc timeRange(name string) error {\n\treturn timeRange(\"week\")\n}\n", False),
        ("javascript", "function Err(err) { return { mapError: (fn) => Err(fn(err)) }; }\n", False),
        ("java", "class C { R get(String id) { return get(id.trim()); } }\n", False),
    ],
)
def test_same_arguments_tells_a_retry_from_a_fallback(grammar, source, same):
    tree = treesitter.parse(grammar, source.encode())
    ctx = FileContext(language=grammar, text=source, sub={})
    own = {"go": ("post", "timeRange"), "python": ("run", "to_enum"), "javascript": ("connect", "Err"), "csharp": ("SeedAsync",), "java": ("get",)}
    found: list[bool] = []

    def walk(node: Node) -> None:
        if node.type in ("identifier", "field_identifier", "property_identifier") and ctx.text_of(node) in own[grammar]:
            parent = node.parent
            if parent is not None and parent.type not in FUNCTION_DECLARATIONS and calls_itself(node, ctx):
                found.append(calls_itself(node, ctx, same_arguments=True))
        for child in node.children:
            walk(child)

    walk(tree.root_node)
    assert found == [same]

