"""No AVX/AVX2/AVX-512 instruction may escape runtime dispatch into baseline code.

    python .ci/check_isa.py path/to/_engine_c....so   # built with CPPFLAGS=-mneeded

Two independent checks on an x86-64 ELF module (skipped elsewhere):

1. The GNU property note that gcc writes with ``-mneeded`` must exist (so the
   flag really reached the compiler) and name no ISA level above x86-64-v2.
2. The disassembly: every instruction from x86-64-v3 or later (VEX/EVEX
   ``v*`` mnemonics, ymm/zmm/k registers, BMI1/2, LZCNT, MOVBE) must sit in a
   function that gcc's ``target_clones``/``target`` attribute made for that
   ISA (a symbol suffix such as ``.arch_x86_64_v3.0`` or ``.avx2.0``), which
   runs only after the CPU check.  Needs the unstripped module.
"""

from __future__ import annotations

import platform
import re
import subprocess
import sys

ABOVE_V2 = re.compile(r"x86-64-v[34]|AVX2|AVX512|AVX\b", re.IGNORECASE)
FUNCTION = re.compile(r"^[0-9a-f]+ <(?P<name>[^>]+)>:$")
INSTRUCTION = re.compile(r"^\s*[0-9a-f]+:\s+(?P<mnemonic>[a-z][a-z0-9.]*)\s*(?P<operands>.*)$")
V3_SCALAR = {"andn", "bextr", "blsi", "blsmsk", "blsr", "bzhi", "mulx", "pdep", "pext", "rorx",
             "sarx", "shlx", "shrx", "lzcnt", "movbe", "tzcnt"}
NOT_AVX = {"verr", "verw"}  # ancient 'v' mnemonics that are not vector extensions
WIDE_REGISTER = re.compile(r"%(ymm|zmm)[0-9]+|%k[0-7]\b")
DISPATCHED = re.compile(r"\.(arch_x86_64_v[34]|avx2|avx512[a-z0-9_]*|fma|haswell|skylake[a-z0-9_]*)"
                        r"(\.|$)")


def isa_note(path: str) -> list[str]:
    out = subprocess.run(["readelf", "--notes", path], check=True, capture_output=True, text=True)
    return [line.strip() for line in out.stdout.splitlines() if "ISA needed" in line]


def escaped_instructions(path: str) -> tuple[int, list[str]]:
    out = subprocess.run(["objdump", "-d", "--no-show-raw-insn", "-M", "att", path],
                         check=True, capture_output=True, text=True).stdout
    function, dispatched_seen, escaped = "?", 0, []
    for line in out.splitlines():
        m = FUNCTION.match(line)
        if m:
            function = m["name"]
            continue
        m = INSTRUCTION.match(line)
        if not m:
            continue
        mnemonic = m["mnemonic"]
        above = ((mnemonic.startswith("v") and mnemonic not in NOT_AVX and not mnemonic.startswith("vm"))
                 or mnemonic in V3_SCALAR or WIDE_REGISTER.search(m["operands"]))
        if not above:
            continue
        if DISPATCHED.search(function):
            dispatched_seen += 1
        else:
            escaped.append(f"{function}: {line.strip()}")
    return dispatched_seen, escaped


def main(path: str) -> int:
    if platform.machine() not in ("x86_64", "AMD64"):
        print(f"check_isa: skipped on {platform.machine()} (x86-64 only)")
        return 0
    notes = isa_note(path)
    problems = []
    if not notes:
        problems.append("no 'x86 ISA needed' note: was it built with CPPFLAGS=-mneeded?")
    problems += [f"ISA note above x86-64-v2: {n}" for n in notes if ABOVE_V2.search(n)]
    dispatched, escaped = escaped_instructions(path)
    problems += [f"instruction above x86-64-v2 outside a dispatched clone: {e}" for e in escaped[:20]]
    if len(escaped) > 20:
        problems.append(f"... and {len(escaped) - 20} more")
    for p in problems:
        print(f"check_isa: {path}: {p}", file=sys.stderr)
    if not problems:
        print(f"check_isa: OK: {'; '.join(notes)}; {dispatched} AVX-family instructions, "
              "all inside runtime-dispatched clones")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
