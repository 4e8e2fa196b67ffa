"""Syntax: languages by extension, tree-sitter parsing, enclosing scopes."""
