"""Per-file answers of conditions (node texts, argument lists, imports, paths) equal the direct ones."""

from __future__ import annotations

from bot.analyze.conditions import FileContext, checker, has_arg, text_of
from bot.analyze.rules import Condition, HasArg
from bot.syntax import treesitter

PY_ASCII = b"""import requests

requests.get(url, timeout=None)
requests.get(url, timeout=5)
requests.post(url, **opts)
urlopen(url, data, 10)
"""
PY_UTF8 = "# caf\u00e9 \u2014 d\u00e9j\u00e0\nname = '\u00fcber'\nrequests.get('\u00e9t\u00e9', timeout=None)\n".encode()


def _nodes(node: treesitter.Node) -> list[treesitter.Node]:
    out = [node]
    for child in node.children:
        out.extend(_nodes(child))
    return out


def _context(source: bytes, *, path: str = "svc/app.py") -> tuple[FileContext, list[treesitter.Node]]:
    tree = treesitter.parse("python", source)
    return FileContext(language="python", text=source.decode(), sub={}, path=path), _nodes(tree.root_node)


def test_node_text_from_the_file_text_equals_the_nodes_own_text_in_ascii_and_utf8_files():
    for source in (PY_ASCII, PY_UTF8):
        ctx, nodes = _context(source)
        assert len(nodes) > 20
        assert [ctx.text_of(n) for n in nodes] == [text_of(n) for n in nodes]


def test_has_arg_checked_through_the_file_context_agrees_with_has_arg_on_every_call():
    specs = [
        HasArg(capture="args", names=["timeout"], value_not="None"),
        HasArg(capture="args", names=["timeout"]),
        HasArg(capture="args", names=["timeout"], positional=3),
        HasArg(capture="args", positional=2),
    ]
    for source in (PY_ASCII, PY_UTF8):
        ctx, nodes = _context(source)
        calls = [n for n in nodes if n.type == "call"]
        assert len(calls) >= 1
        seen = set()
        for spec in specs:
            check = checker(Condition(has_arg=spec))
            for call in calls:
                args = call.child_by_field_name("arguments")
                # Asked twice: the second answer comes from the remembered argument list.
                got = [check({"args": [args]}, ctx) for _ in range(2)]
                assert got == [has_arg(args, spec)] * 2
                seen.add(got[0])
        assert seen == {True, False}


def test_import_and_path_answers_belong_to_their_own_file():
    imports = checker(Condition(imports=["requests"]))
    path = checker(Condition(path_matches=r"(^|/)scripts/"))
    with_requests, _ = _context(PY_ASCII, path="scripts/probe.py")
    without, _ = _context(b"import httpx\n", path="svc/app.py")
    for _ in range(2):
        assert imports({}, with_requests) and not imports({}, without)
        assert path({}, with_requests) and not path({}, without)
