#!/usr/bin/env python3
"""Deterministic execution (-icount): two runs print the same bytes.

usage: determinism.py EMULATOR MACHINE_DIR

EMULATOR is `qemu` (validates the program and the test: QEMU needs
`-icount shift=0,sleep=off -seed 1 -rtc base=...,clock=vm` for the same
guarantee) or a Petrel binary (where -icount alone implies a fixed RDRAND seed
and the RTC start 2000-01-01T00:00:00). MACHINE_DIR holds determinism.elf,
which prints RDRAND/RDSEED, RDTSC, PIT, LAPIC timer, HPET, ACPI PM timer and
RTC readings around busy loops and HLTs woken by timer interrupts.

Checks:
  repeatable    two -icount runs print byte-identical output (Petrel: once
                with sleep=on, QEMU's default, once with sleep=off; the guest
                cannot tell them apart)
  fixed RTC     the RTC reads the fixed base date (Petrel: the default with
                -icount; both: -rtc base=2010-06-15T12:34:56)
  exact count   RDTSC across 2003 instructions of a tight loop (chained
                cached blocks, no I/O) moves exactly 4006 ticks (Petrel)
  shift         shift=3 makes the TSC advance 8x as much over the busy loop
                as shift=0 (Petrel: exactly; its TSC is 2 ticks per ns)
  entropy       two runs without -icount (or -seed) differ in their RDRAND
                values, so a mode that changed nothing would be caught
  -seed         -seed 5 alone makes RDRAND repeat
  bad values    malformed -icount/-rtc/-seed: exit status 2 naming the option
                (Petrel)
Exit 77 when QEMU or the program is missing.
"""
import os
import shutil
import subprocess
import sys

SKIP = 77


def main():
    emu, machine_dir = sys.argv[1:3]
    prog = os.path.join(machine_dir, "determinism.elf")
    if not os.path.exists(prog):
        print(f"SKIP: {prog} missing (nasm/ld not installed?)")
        return SKIP
    qemu = emu == "qemu"
    if qemu:
        exe = shutil.which("qemu-system-x86_64")
        if not exe:
            print("SKIP: qemu-system-x86_64 not installed")
            return SKIP
        base = [exe, "-accel", "tcg"]
    else:
        base = [emu]
    base += ["-cpu", "max", "-m", "64M", "-display", "none", "-serial", "stdio", "-no-reboot",
             "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-kernel", prog]
    # QEMU's -icount leaves RDRAND on host entropy and the RTC on host time.
    qemu_det = ["-seed", "1", "-rtc", "base=2000-01-01T00:00:00,clock=vm"] if qemu else []
    failures = []

    def run(extra):
        cmd = base + extra
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
        out = p.stdout.decode(errors="replace")
        if p.returncode != 1 or "PASS" not in out.splitlines():
            failures.append(f"{' '.join(extra)}: status {p.returncode}, output {out!r}, "
                            f"stderr {p.stderr.decode(errors='replace')!r}")
        return out

    def expect(what, ok, detail):
        print(f"{'ok  ' if ok else 'FAIL'} {what}")
        if not ok:
            failures.append(f"{what}: {detail}")

    def values(out, label):
        return [l.split()[1] for l in out.splitlines() if l.startswith(label + " ")]

    def rtc(out):
        return next((l for l in out.splitlines() if l.startswith("rtc ")), None)

    first = run(["-icount", "shift=0,sleep=off"] + qemu_det)
    second = run(["-icount", "shift=0" if not qemu else "shift=0,sleep=off"] + qemu_det)
    print("---- -icount shift=0 output ----\n" + first + "---- end ----")
    expect("two -icount shift=0 runs print the same bytes" + ("" if qemu else " (sleep=off, sleep=on)"),
           first == second and first != "", f"\n{first}\nvs\n{second}")
    expect("-icount: the RTC starts at 2000-01-01T00:00:00", rtc(first) in ("rtc 2000-01-01 00:00:00",
           "rtc 2000-01-01 00:00:01"), f"got {rtc(first)!r}")
    expect("-icount: RDRAND answered", len(values(first, "rdrand")) == 3, first)

    based = run(["-icount", "shift=0,sleep=off", "-seed", "1", "-rtc", "base=2010-06-15T12:34:56,clock=vm"])
    expect("-rtc base=2010-06-15T12:34:56: the RTC starts there",
           (rtc(based) or "").startswith("rtc 2010-06-15 12:34:5"), f"got {rtc(based)!r}")

    tight = int(values(first, "tsc-tight")[0], 16) if values(first, "tsc-tight") else 0
    if qemu:
        expect("TSC moves across a tight loop", tight > 0, f"got {tight}")
    else:
        # shift=0: 1 ns per instruction, Petrel's TSC 2 ticks per ns.
        expect("TSC exact across 2003 instructions of chained blocks (4006 ticks)", tight == 4006,
               f"got {tight}")

    shifted = run(["-icount", "shift=3,sleep=off"] + qemu_det)
    d0 = int(values(first, "tsc-delta")[0], 16) if values(first, "tsc-delta") else 0
    d3 = int(values(shifted, "tsc-delta")[0], 16) if values(shifted, "tsc-delta") else 0
    if qemu:
        expect("shift=3: the TSC runs about 8x faster per instruction", d0 > 0 and 7 * d0 < d3 < 9 * d0,
               f"shift=0 delta {d0}, shift=3 delta {d3}")
    else:
        expect("shift=3: the TSC runs exactly 8x faster per instruction", d0 > 0 and d3 == 8 * d0,
               f"shift=0 delta {d0}, shift=3 delta {d3}")
    expect("shift=3: the same RDRAND values (seeded alike)", values(shifted, "rdrand") == values(first, "rdrand"),
           f"{values(shifted, 'rdrand')} vs {values(first, 'rdrand')}")

    free1, free2 = run([]), run([])
    r1, r2 = values(free1, "rdrand"), values(free2, "rdrand")
    expect("without -icount: RDRAND differs between runs (host entropy)", r1 and r2 and r1 != r2, f"{r1} vs {r2}")
    expect("without -icount: RDRAND differs from the -icount run", r1 != values(first, "rdrand"), f"{r1}")

    s1, s2 = run(["-seed", "5"]), run(["-seed", "5"])
    expect("-seed 5 without -icount: the same RDRAND values twice",
           values(s1, "rdrand") and values(s1, "rdrand") == values(s2, "rdrand"),
           f"{values(s1, 'rdrand')} vs {values(s2, 'rdrand')}")

    if not qemu:
        for bad in (["-icount", "shift=11"], ["-icount", "sleep=off"], ["-icount", "shift=0,align=on"],
                    ["-rtc", "base=2000-02-30"], ["-seed", "x"]):
            p = subprocess.run([emu] + bad + ["-kernel", prog], stdin=subprocess.DEVNULL, capture_output=True,
                               timeout=30)
            err = p.stderr.decode(errors="replace")
            expect(f"{' '.join(bad)}: status 2, option named", p.returncode == 2 and bad[0] in err,
                   f"status {p.returncode}, stderr {err!r}")

    if failures:
        print("determinism: FAILED:\n  " + "\n  ".join(failures))
        return 1
    print("determinism: PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
