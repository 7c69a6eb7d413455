#!/usr/bin/env python3
"""The process exit status and messages of `petrel` at the machine's edges.

usage: exit_status.py EMULATOR GUEST_DIR MACHINE_DIR

EMULATOR is `qemu` (checks the cases QEMU shares, validating the test) or a
Petrel binary. GUEST_DIR holds the tests/guest ELF programs (hello.elf),
MACHINE_DIR triple.elf. Cases:
  debug exit      isa-debug-exit value 0 -> status 1, "PASS" on COM1
  triple fault    with -no-reboot: status 0, a message naming the triple fault
  reset           without -no-reboot: the machine resets and the guest runs again
  bad kernel      a missing or garbage -kernel file: status 1, the file named (Petrel)
  bad option      an unknown option: status 2, the option named (Petrel)
  -cpu            `-cpu max` and `-cpu qemu64` run hello; an unknown model or a
                  feature list is status 2, naming it (Petrel: one fixed model)
Exit 77 when QEMU or the programs are missing.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

SKIP = 77


def base_cmd(emu):
    if emu == "qemu":
        exe = shutil.which("qemu-system-x86_64")
        if not exe:
            raise SystemExit(print("SKIP: qemu-system-x86_64 not installed") or SKIP)
        return [exe, "-accel", "tcg"]
    return [emu]


def run(cmd, timeout=60):
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout)
    return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")


def main():
    emu, guest_dir, machine_dir = sys.argv[1:4]
    hello = os.path.join(guest_dir, "hello.elf")
    triple = os.path.join(machine_dir, "triple.elf")
    for f in (hello, triple):
        if not os.path.exists(f):
            print(f"SKIP: {f} missing (nasm/ld not installed?)")
            return SKIP
    cmd = base_cmd(emu)
    common = ["-m", "64M", "-display", "none", "-serial", "stdio"]
    failures = []

    def expect(what, ok, detail):
        print(f"{'ok  ' if ok else 'FAIL'} {what}")
        if not ok:
            failures.append(f"{what}: {detail}")

    rc, out, err = run(cmd + common + ["-no-reboot", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
                                       "-kernel", hello])
    expect("debug exit: status (0 << 1) | 1 and PASS", rc == 1 and "PASS" in out, f"status {rc}, output {out!r}")
    for model in ("max", "qemu64"):
        rc, out, err = run(cmd + common + ["-cpu", model, "-no-reboot", "-device",
                                           "isa-debug-exit,iobase=0xf4,iosize=0x04", "-kernel", hello])
        expect(f"-cpu {model}: hello passes", rc == 1 and "PASS" in out, f"status {rc}, output {out!r}")

    rc, out, err = run(cmd + common + ["-no-reboot", "-kernel", triple])
    expect("triple fault under -no-reboot: status 0", rc == 0 and "triple: booted" in out,
           f"status {rc}, output {out!r}, stderr {err!r}")
    if emu != "qemu":
        expect("triple fault under -no-reboot: a message", "triple fault" in err and "-no-reboot" in err,
               f"stderr {err!r}")

    # Without -no-reboot the machine resets and reloads the kernel: the
    # program prints its line again. Stop after the second one.
    p = subprocess.Popen(cmd + common + ["-kernel", triple], stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    seen, deadline, buf = 0, time.monotonic() + 60, b""
    try:
        while seen < 2 and time.monotonic() < deadline:
            chunk = os.read(p.stdout.fileno(), 4096)
            if not chunk:
                break
            buf += chunk
            seen = buf.count(b"triple: booted")
    finally:
        p.kill()
        p.wait()
    expect("triple fault without -no-reboot: reset, the guest runs again", seen >= 2, f"output {buf!r}")

    if emu != "qemu":
        rc, out, err = run(cmd + common + ["-kernel", "/nonexistent/vmlinuz"])
        expect("missing kernel: status 1, file named", rc == 1 and "/nonexistent/vmlinuz" in err, f"{rc} {err!r}")
        with tempfile.NamedTemporaryFile(suffix=".bin") as junk:
            junk.write(os.urandom(8192))
            junk.flush()
            rc, out, err = run(cmd + common + ["-kernel", junk.name])
            expect("garbage kernel: status 1, file named", rc == 1 and junk.name in err, f"{rc} {err!r}")
        rc, out, err = run(cmd + ["-frobnicate"])
        expect("unknown option: status 2, option named", rc == 2 and "-frobnicate" in err, f"{rc} {err!r}")
        rc, out, err = run(cmd + common + ["-cpu", "pentium99", "-kernel", hello])
        expect("-cpu pentium99: status 2, model named", rc == 2 and "pentium99" in err, f"{rc} {err!r}")
        rc, out, err = run(cmd + common + ["-cpu", "max,+pcid", "-kernel", hello])
        expect("-cpu max,+pcid: status 2, refused", rc == 2 and "-cpu" in err, f"{rc} {err!r}")

    if failures:
        print("exit-status: FAILED:\n  " + "\n  ".join(failures))
        return 1
    print("exit-status: PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
