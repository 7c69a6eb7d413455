"""Drive an emulator through its serial console (python3 only, no pexpect).

    c = Console(cmd)                 # stdin/stdout pipes, stderr merged
    c.expect(r"regex", timeout=60)   # -> re.Match on the rolling buffer
    c.send_line("uname -a")
    status = c.wait_exit(timeout=30)

Every failure raises ConsoleError with what was expected and the last ~3000
characters of console output. The process is killed (by its own pid) on close.
"""
import os
import re
import select
import subprocess
import time

TAIL = 3000


class ConsoleError(Exception):
    pass


class Console:
    def __init__(self, cmd, log=None):
        self.cmd = list(cmd)
        self.log = log
        self.buf = ""        # unconsumed output (expect consumes up to a match)
        self.all = ""        # everything seen, for failure messages and logs
        self.start = time.monotonic()
        self.proc = subprocess.Popen(self.cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, bufsize=0)
        self.status = None

    def tail(self):
        return self.all[-TAIL:]

    def fail(self, what):
        raise ConsoleError(f"{what}\n---- last {TAIL} characters of console output ----\n"
                           f"{self.tail()}\n---- end of console output ----")

    def _read(self, timeout):
        """Reads what is available within timeout; False at EOF."""
        r, _, _ = select.select([self.proc.stdout], [], [], max(0.0, timeout))
        if not r:
            return True
        data = os.read(self.proc.stdout.fileno(), 65536)
        if not data:
            return False
        text = data.decode(errors="replace").replace("\r", "")
        self.buf += text
        self.all += text
        if self.log:
            self.log.write(text)
            self.log.flush()
        return True

    def expect(self, pattern, timeout):
        rx = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while True:
            m = rx.search(self.buf)
            if m:
                self.buf = self.buf[m.end():]
                return m
            left = deadline - time.monotonic()
            if left <= 0:
                self.fail(f"timed out after {timeout:g} s waiting for /{pattern}/")
            if not self._read(min(left, 0.5)):
                self.proc.wait()
                self.status = self.proc.returncode
                m = rx.search(self.buf)
                if m:
                    self.buf = self.buf[m.end():]
                    return m
                self.fail(f"emulator exited (status {self.status}) while waiting for /{pattern}/")

    def send_line(self, line):
        try:
            self.proc.stdin.write(line.encode() + b"\n")
            self.proc.stdin.flush()
        except BrokenPipeError:
            self.fail(f"emulator closed its input; could not send {line!r}")

    def wait_exit(self, timeout):
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None:
            left = deadline - time.monotonic()
            if left <= 0:
                self.fail(f"emulator did not exit within {timeout:g} s")
            if not self._read(min(left, 0.5)):
                try:
                    self.proc.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    self.fail(f"emulator closed its output but did not exit within {timeout:g} s")
        while True:             # drain what is left
            r, _, _ = select.select([self.proc.stdout], [], [], 0)
            if not r or not self._read(0):
                break
        self.status = self.proc.returncode
        return self.status

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()        # our own child, by pid
            self.proc.wait()
        for f in (self.proc.stdin, self.proc.stdout):
            try:
                f.close()
            except OSError:
                pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
