"""Adapters are imported lazily and say which extra to install when their framework is missing."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest


def run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, timeout=300)


def test_import_fastlr_imports_no_framework():
    proc = run("""
        import sys
        import fastlr
        s = fastlr.warmup_cosine(1e-3, 10, 100)
        s(5); s.table(20); fastlr.from_dict(s.to_dict())
        loaded = sorted(m for m in ("torch", "keras", "tensorflow", "jax", "optax") if m in sys.modules)
        print(",".join(loaded) or "none")
    """)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "none"


@pytest.mark.parametrize("adapter, blocked, extra", [
    ("torch", "torch", "torch"),
    ("keras", "keras", "keras"),
    ("optax", "jax", "jax"),
])
def test_missing_framework_names_the_extra(adapter, blocked, extra):
    proc = run(f"""
        import sys
        sys.modules[{blocked!r}] = None  # as if it were not installed
        try:
            import fastlr.{adapter}
        except ImportError as exc:
            print(exc)
        else:
            print("imported")
    """)
    assert proc.returncode == 0, proc.stderr
    assert f"pip install 'fastlr-schedules[{extra}]'" in proc.stdout
    assert f"fastlr.{adapter} needs" in proc.stdout


@pytest.mark.parametrize("adapter, others", [
    ("torch", ("keras", "tensorflow", "jax")),
    ("optax", ("torch", "keras", "tensorflow")),
])
def test_adapter_imports_without_the_other_frameworks(adapter, others):
    framework = {"torch": "torch", "optax": "jax"}[adapter]
    pytest.importorskip(framework, reason=f"{framework} is not installed")
    blocked = "".join(f"sys.modules[{m!r}] = None\n" for m in others)
    proc = run(f"import sys\n{blocked}import fastlr.{adapter}\nprint('ok')")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok"
