"""A center of the chain as a child process of the demo (`python -m app.cli run`): start it with its log and pid
files, check it, read its log's tail, stop it (SIGTERM once, then SIGKILL), or leave it running."""
from __future__ import annotations

import signal
import subprocess
import sys


class Center:
    """One center's `yiwang run` process, started with `env`; its output goes to `log_path`, its pid to
    `pid_path` (var/demo-REGION.log and .pid)."""

    def __init__(self, region: str, port: int, env: dict, log_path, pid_path):
        self.region, self.port, self.env = region, port, env
        self.log_path, self.pid_path = log_path, pid_path
        self.proc: subprocess.Popen[bytes] | None = None
        self.signalled = False

    @property
    def process(self) -> subprocess.Popen[bytes]:
        """The started process (after start())."""
        if self.proc is None:
            raise RuntimeError(f"the center {self.region} has not been started")
        return self.proc

    def start(self) -> None:
        """Start `yiwang run` for the region in a session of its own, its output to the log; write the pid file."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "wb")
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "app.cli", "run", "--region", self.region, "--port", str(self.port)],
                env=self.env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True)  # Ctrl-C reaches the demo only; the demo stops the center with SIGTERM
        finally:
            log.close()
        self.pid_path.write_text(f"{self.proc.pid}\n")

    def detach(self) -> None:
        """Leave the child running when the demo exits (no reaping in Popen.__del__ at interpreter exit)."""
        if self.proc is not None:
            # stdlib: skips the finaliser's waitpid (a private attribute, which typeshed does not declare)
            self.proc._child_created = False  # type: ignore[attr-defined]  # noqa: SLF001

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def tail(self, lines: int = 15) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return "(no log)"
        return "\n".join(text[-lines:]) or "(the log is empty)"

    def signal(self) -> None:
        """Send SIGTERM once (the center drains in-flight work and exits 0). Never twice: a second SIGTERM while
        `yiwang run` is stopping makes it hang (nameko's timer re-sends its stop event), so stop() waits and then
        kills instead."""
        if self.alive() and not self.signalled:
            self.signalled = True
            self.process.send_signal(signal.SIGTERM)

    def stop(self, timeout: float = 30.0) -> tuple[int | None, str]:
        """SIGTERM (unless signal() sent it already), wait, then SIGKILL. Returns the exit code and how it went."""
        if self.proc is None:
            return None, "not started"
        how = "stopped"
        self.signal()
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            how = f"killed: it did not stop within {timeout:.0f} s of SIGTERM"
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                how = "did not die on SIGKILL"
        try:
            self.pid_path.unlink()
        except OSError:
            pass
        return self.proc.returncode, how

