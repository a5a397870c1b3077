"""A web process loads every view when it starts (streetlight.asgi), and each library a view module
imports at the top stays in the memory of every web process. The heavy ones only some pages or
tasks use are imported on first use: scikit-learn (triage, posts), matplotlib (policy charts) and
WeasyPrint (PDF)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY_ON_FIRST_USE = ("sklearn", "matplotlib", "weasyprint")

CODE = """
import json, sys
import streetlight.asgi  # the URL conf and every view, as a web process loads them
print(json.dumps(sorted(m for m in sys.modules if "." not in m)))
"""


def test_a_web_process_starts_without_the_libraries_few_pages_use(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST_")}
    env.pop("DATABASE_URL", None)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "streetlight.settings",
            "PYTHONPATH": str(ROOT / "src"),
            "STREETLIGHT_DATA_DIR": str(tmp_path),
        }
    )
    done = subprocess.run([sys.executable, "-c", CODE], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    loaded = set(json.loads(done.stdout.strip().splitlines()[-1]))
    assert "django" in loaded and "numpy" in loaded  # the check sees what the process imported
    assert not loaded & set(HEAVY_ON_FIRST_USE), sorted(loaded & set(HEAVY_ON_FIRST_USE))
