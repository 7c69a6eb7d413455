#!/usr/bin/env python3
"""-bios: SeaBIOS (Debian's /usr/share/seabios/bios.bin) runs from the reset
vector through POST to "No bootable device" (the machine has no disks), its
log read from the debug console on port 0x402.

usage: firmware_boot.py EMULATOR     (`qemu` or a Petrel binary)

Checks what SeaBIOS itself found: the RAM size from CMOS, the i440FX/PIIX3
PCI devices, the serial port, an e820 map, and that it reached the boot
stage. Exit 77 when the firmware or QEMU is missing.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

SKIP = 77
BIOS = "/usr/share/seabios/bios.bin"
TIMEOUT = 120
WANT = [
    "SeaBIOS (version",
    ("RamSize: 0x08000000",                  # -m 128M, from CMOS (Petrel) ...
     "len 0x0000000008000000 [RAM]"),        # ... or from fw_cfg (QEMU)
    "PCI: init bdf=00:00.0 id=8086:1237",    # i440FX host bridge
    "PCI: init bdf=00:01.0 id=8086:7000",    # PIIX3 ISA bridge
    "Found 1 serial ports",
    "e820 map has",
    "No bootable device",
]


def main():
    emu = sys.argv[1]
    if not os.path.exists(BIOS):
        print(f"SKIP: {BIOS} missing (Debian package seabios)")
        return SKIP
    if emu == "qemu":
        exe = shutil.which("qemu-system-x86_64")
        if not exe:
            print("SKIP: qemu-system-x86_64 not installed")
            return SKIP
        cmd = [exe, "-accel", "tcg", "-vga", "none", "-nodefaults", "-serial", "null"]
    else:
        cmd = [emu, "-serial", "none"]
    with tempfile.TemporaryDirectory() as d:
        log = os.path.join(d, "seabios.log")
        cmd += ["-m", "128M", "-display", "none", "-no-reboot", "-bios", BIOS,
                "-global", "isa-debugcon.iobase=0x402", "-debugcon", f"file:{log}"]
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        text, deadline = "", time.monotonic() + TIMEOUT
        try:
            while time.monotonic() < deadline and p.poll() is None:
                time.sleep(0.5)
                if os.path.exists(log):
                    with open(log, errors="replace") as f:
                        text = f.read()
                if "No bootable device" in text:
                    break
        finally:
            p.kill()
            p.wait()
            err = p.stderr.read().decode(errors="replace")
        missing = [w for w in WANT if not any(alt in text for alt in (w if isinstance(w, tuple) else (w,)))]
        if missing:
            print(f"firmware-boot: FAILED: missing {missing}\n---- SeaBIOS log ----\n{text[-3000:]}"
                  f"\n---- stderr ----\n{err[-1000:]}")
            return 1
    print("firmware-boot: PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
