"""Build benchmarks/limits.c in the benchmark run and load it with ctypes."""

from __future__ import annotations

import ctypes
import os
import re
import shutil
import subprocess
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
FLAGS = ["-O3", "-fno-math-errno", "-fno-trapping-math", "-ffp-contract=off",
         "-fopenmp-simd", "-fPIC", "-shared"]


class Limits:
    """The compiled limit kernels: ``run(name, out, params)``, built with ``-march=march``
    (``native``, or the CPU level fastlr's fills are capped at, for a fair comparison)."""

    def __init__(self, build_dir: str | None = None, cc: str | None = None, march: str = "native") -> None:
        cc = cc or os.environ.get("CC", "gcc")
        build_dir = build_dir or tempfile.mkdtemp(prefix="fastlr-limits-")
        so = os.path.join(build_dir, "limits.so")
        self.command = [cc, FLAGS[0], f"-march={march}", *FLAGS[1:], os.path.join(HERE, "limits.c"),
                        "-o", so, "-lm"]
        subprocess.run(self.command, check=True)
        self.vector_symbols: list[str] = []
        if shutil.which("objdump"):
            dis = subprocess.run(["objdump", "-d", so], capture_output=True, text=True).stdout
            self.vector_symbols = sorted(set(re.findall(r"<(_ZGV\w+)@plt>", dis)))
        self.lib = ctypes.CDLL(so)

    def run(self, name: str, out: np.ndarray, params: list[float]) -> None:
        fn = getattr(self.lib, name)
        fn(ctypes.c_void_p(out.ctypes.data), ctypes.c_int(out.shape[0]),
           (ctypes.c_double * len(params))(*params))

    def command_line(self) -> str:
        return " ".join(os.path.basename(a) if a.endswith((".c", ".so")) else a for a in self.command)
