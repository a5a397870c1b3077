"""Architecture rules that ruff and import-linter cannot express.

No ORM queries in views.py / api.py: HTML and API handlers call selectors and services, so
access rules live in one place. Exit code 1 with one line per violation."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "src" / "streetlight"
THIN = {"views.py", "api.py"}


def orm_uses(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "objects":
            problems.append(f"{path.relative_to(ROOT.parent.parent)}:{node.lineno}: ORM query in a thin layer")
    return problems


def main() -> int:
    problems: list[str] = []
    for path in sorted(ROOT.rglob("*.py")):
        if path.name in THIN or (path.parent.name in {"views", "api"}):
            problems += orm_uses(path)
    for line in problems:
        print(line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
