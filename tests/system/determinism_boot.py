#!/usr/bin/env python3
"""Two -icount boots of the default guest print the same bytes (a long run,
not in the test suite: about 65 s under Petrel's interpreter).

usage: determinism_boot.py [--images DIR] [--shift N] EMULATOR

EMULATOR is `qemu` (adds -seed 1 -rtc base=2000-01-01T00:00:00,clock=vm,
which QEMU needs for the same guarantee) or a Petrel binary. Each boot runs
petrel.run="..." (uname, date, /proc/uptime, /proc/interrupts, 16 bytes of
/dev/urandom — the kernel's CRNG mixes RDRAND with interrupt timings) and
powers off; stdin is /dev/null. The whole serial output, kernel log
timestamps included, must be identical, the guest's `date` must be on
2000-01-01 and the run must end in power-off (status 0).
Exit 77 when QEMU or the image is missing.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import time

SKIP = 77
RUN = "uname -a; date; cat /proc/uptime; cat /proc/interrupts; head -c 16 /dev/urandom | od -An -tx1"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--images", default=os.path.join(os.path.dirname(__file__), "..", "..", "images", "default"))
    ap.add_argument("--shift", default="3")
    ap.add_argument("emulator")
    a = ap.parse_args()
    kernel, initrd = os.path.join(a.images, "vmlinuz"), os.path.join(a.images, "initrd.img")
    if not (os.path.exists(kernel) and os.path.exists(initrd)):
        print(f"SKIP: {a.images}/vmlinuz or initrd.img missing (testimages/build-default)")
        return SKIP
    if a.emulator == "qemu":
        exe = shutil.which("qemu-system-x86_64")
        if not exe:
            print("SKIP: qemu-system-x86_64 not installed")
            return SKIP
        cmd = [exe, "-accel", "tcg", "-seed", "1", "-rtc", "base=2000-01-01T00:00:00,clock=vm"]
    else:
        cmd = [a.emulator]
    cmd += ["-icount", f"shift={a.shift},sleep=off", "-m", "512M", "-display", "none", "-serial", "stdio",
            "-no-reboot", "-kernel", kernel, "-initrd", initrd,
            "-append", f'console=ttyS0 panic=-1 petrel.run="{RUN}"']
    print("$", " ".join(cmd), flush=True)
    outs = []
    for i in range(2):
        t0 = time.monotonic()
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=600)
        out = p.stdout.decode(errors="replace")
        print(f"boot {i + 1}: status {p.returncode}, {len(out.splitlines())} lines, "
              f"{time.monotonic() - t0:.1f} s", flush=True)
        if p.returncode != 0 or "petrel.run exit status 0" not in out:
            print(out[-3000:])
            print(f"determinism-boot: FAILED: boot {i + 1} did not run the command and power off")
            return 1
        outs.append(out)
    if outs[0] != outs[1]:
        l1, l2 = outs[0].splitlines(), outs[1].splitlines()
        n = next((i for i, (x, y) in enumerate(zip(l1, l2)) if x != y), min(len(l1), len(l2)))
        print(f"determinism-boot: FAILED: the outputs differ from line {n + 1}:")
        print(f"  1: {l1[n] if n < len(l1) else '<end>'}\n  2: {l2[n] if n < len(l2) else '<end>'}")
        return 1
    date = next((l for l in outs[0].splitlines() if re.match(r"^\w{3} \w{3} +\d+ [\d:]{8} UTC \d{4}$", l)), None)
    if not date or not re.match(r"^\w{3} Jan +1 [\d:]{8} UTC 2000$", date):
        print(f"determinism-boot: FAILED: the guest's date is not on 2000-01-01: {date!r}")
        return 1
    print(outs[0][-1500:])
    print("determinism-boot: PASS (identical outputs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
