"""The enclosing function and class of any line."""

from __future__ import annotations

from bot.syntax.treesitter import Node, ancestors

FUNCTION_TYPES = frozenset(
    {
        "function_definition",  # python
        "function_declaration",  # go, js, ts
        "method_declaration",  # go, java, c#
        "func_literal",  # go
        "constructor_declaration",  # java, c#
        "local_function_statement",  # c#
        "method_definition",  # js, ts
        "function_expression",  # js, ts
        "generator_function_declaration",
        "arrow_function",
        "lambda",  # python
        "lambda_expression",  # java, c#
    }
)
# Functions without a name of their own: closures and lambdas, which share the enclosing declaration's
# parameters and named results.
ANONYMOUS_FUNCTION_TYPES = frozenset(
    {"func_literal", "function_expression", "arrow_function", "lambda", "lambda_expression", "anonymous_method_expression"}
)
CLASS_TYPES = frozenset(
    {
        "class_definition",  # python
        "class_declaration",  # java, c#, js, ts
        "interface_declaration",
        "enum_declaration",
        "record_declaration",
        "struct_declaration",
        "type_declaration",  # go
        "class",  # js class expression
    }
)


def scope_name(node: Node) -> str:
    name = node.child_by_field_name("name")
    if name is None and node.type == "type_declaration":
        spec = next((c for c in node.named_children if c.type == "type_spec"), None)
        name = spec.child_by_field_name("name") if spec else None
    if name is None or name.text is None:
        return "<anonymous>"
    return name.text.decode("utf-8", "replace")


class ScopeLabels:
    """`Class.method`-style labels of where nodes of one tree sit, for messages and fingerprints'
    context: each function or class is named once, and a node's upward walk stops at the first scope
    already named."""

    def __init__(self) -> None:
        self._known: dict[int, str] = {}

    def __call__(self, node: Node) -> str:
        unnamed: list[Node] = []
        label = ""
        for anc in ancestors(node):
            if anc.type in FUNCTION_TYPES or anc.type in CLASS_TYPES:
                known = self._known.get(anc.id)
                if known is not None:
                    label = known
                    break
                unnamed.append(anc)
        for scope in reversed(unnamed):
            name = scope_name(scope)
            label = f"{label}.{name}" if label else name
            self._known[scope.id] = label
        return label


def describe_scope(node: Node) -> str:
    """The label of one node (see ScopeLabels)."""
    return ScopeLabels()(node)
