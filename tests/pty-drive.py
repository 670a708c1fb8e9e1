#!/usr/bin/python3
"""Drive an interactive program through a pseudo-terminal, for tests.

usage: pty-drive.py SCRIPT CMD [ARG...]

SCRIPT has one step a line:
    send TEXT     type TEXT (escapes: \\t tab, \\n enter, \\e escape)
    expect TEXT   wait (10 s at most) until the output since the last
                  expect holds TEXT
    shell CMD     run a shell command (to edit a file between steps)
Blank lines and lines starting with # are skipped. The whole transcript
is written to stdout; the exit status is 1 when an expect times out or
the program does not end (5 s) after the script, else the program's.
"""
import os
import pty
import select
import sys
import time


def unescape(s):
    return s.replace("\\t", "\t").replace("\\n", "\r").replace("\\e", "\x1b")


def main():
    script, cmd = sys.argv[1], sys.argv[2:]
    steps = []
    with open(script) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            verb, _, text = line.partition(" ")
            steps.append((verb, unescape(text) if verb == "send" else text))
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm"
        os.execvp(cmd[0], cmd)
    seen = b""
    mark = 0
    failed = None

    def pump(timeout):
        nonlocal seen
        r, _, _ = select.select([fd], [], [], timeout)
        if not r:
            return True
        try:
            data = os.read(fd, 4096)
        except OSError:
            return False
        if not data:
            return False
        seen += data
        return True

    for verb, text in steps:
        if verb == "send":
            for ch in text:
                os.write(fd, ch.encode())
                time.sleep(0.01)
        elif verb == "shell":
            os.system(text)
        elif verb == "expect":
            want = text.encode()
            deadline = time.time() + 10
            while want not in seen[mark:] and time.time() < deadline:
                if not pump(0.1):
                    break
            if want not in seen[mark:]:
                failed = "expected: " + text
                break
            mark = seen.index(want, mark) + len(want)
    status = 1
    deadline = time.time() + 5
    while time.time() < deadline:
        done, st = os.waitpid(pid, os.WNOHANG)
        if done:
            status = os.waitstatus_to_exitcode(st)
            break
        pump(0.1)
    else:
        os.kill(pid, 9)
        failed = failed or "the program did not end"
    while pump(0.05):
        pass
    sys.stdout.write(seen.decode("utf-8", "replace").replace("\r", ""))
    if failed:
        sys.stdout.write("\n# " + failed + "\n")
        return 1
    return status


sys.exit(main())
