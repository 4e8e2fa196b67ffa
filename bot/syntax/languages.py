"""Which language a path is written in, and the grammar that parses it."""

from __future__ import annotations

from pathlib import PurePosixPath

LANGUAGES = ("python", "csharp", "java", "go", "javascript", "typescript")

EXTENSIONS: dict[str, tuple[str, str]] = {
    # extension: (rule language, grammar)
    ".py": ("python", "python"),
    ".pyi": ("python", "python"),
    ".cs": ("csharp", "csharp"),
    ".java": ("java", "java"),
    ".go": ("go", "go"),
    ".js": ("javascript", "javascript"),
    ".jsx": ("javascript", "javascript"),
    ".mjs": ("javascript", "javascript"),
    ".cjs": ("javascript", "javascript"),
    ".ts": ("typescript", "typescript"),
    ".mts": ("typescript", "typescript"),
    ".cts": ("typescript", "typescript"),
    ".tsx": ("typescript", "tsx"),
}

# Grammars each rule language's queries must compile for.
GRAMMARS_OF: dict[str, tuple[str, ...]] = {
    "python": ("python",),
    "csharp": ("csharp",),
    "java": ("java",),
    "go": ("go",),
    "javascript": ("javascript",),
    "typescript": ("typescript", "tsx"),
}

FIXTURE_EXTENSION = {
    "python": ".py",
    "csharp": ".cs",
    "java": ".java",
    "go": ".go",
    "javascript": ".js",
    "typescript": ".ts",
}

# Comment prefixes used by fixtures and inline suppressions.
LINE_COMMENT = {
    "python": "#",
    "csharp": "//",
    "java": "//",
    "go": "//",
    "javascript": "//",
    "typescript": "//",
}


def detect(path: str) -> tuple[str, str] | None:
    """(rule language, grammar) for a path, or None when resbot does not analyse that kind of file."""
    suffix = PurePosixPath(path).suffix.lower()
    if path.endswith(".d.ts"):
        return None
    return EXTENSIONS.get(suffix)
