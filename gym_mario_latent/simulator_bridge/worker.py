"""One persistent simulator JVM speaking the `serve` protocol, with a timeout on every wait."""

from __future__ import annotations

import contextlib
import queue
import subprocess
import tempfile
import threading
from collections.abc import Sequence
from typing import Any

from gym_mario_latent.errors import SimulatorError, SimulatorTimeoutError, WorkerExitedError
from gym_mario_latent.simulator_bridge.handshake import SimulatorFacts, parse_handshake
from gym_mario_latent.simulator_bridge.protocol import parse_reply, request_line

#: Seconds a worker gets to finish its current level and exit after its stdin is closed.
EXIT_GRACE_SECONDS = 2.0
_STDERR_TAIL_BYTES = 2000


class Worker:
    """A `java … Main serve` process: requests go to its stdin, a reader thread queues its replies.

    Start it, then call :meth:`wait_ready` (so several JVMs can start side by side).
    """

    def __init__(self, command: Sequence[str]) -> None:
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
        self.process = subprocess.Popen(
            list(command),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            encoding="utf-8",
            bufsize=1,
        )
        self._lines: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        self._reader = threading.Thread(target=self._read_stdout, name=f"simulator-{self.pid}", daemon=True)
        self._reader.start()
        self._next_id = 0
        self.facts: SimulatorFacts | None = None  # from its handshake

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def _read_stdout(self) -> None:
        with contextlib.suppress(ValueError, OSError):
            for line in self.process.stdout:
                self._lines.put(line)
        self._lines.put(None)  # end of output: the process is gone

    def stderr_tail(self) -> str:
        """The last lines the JVM wrote to stderr."""
        with contextlib.suppress(ValueError, OSError):
            size = self._stderr.seek(0, 2)
            self._stderr.seek(max(0, size - _STDERR_TAIL_BYTES))
            return self._stderr.read().decode("utf-8", "replace").strip()
        return ""

    def _next_line(self, timeout: float | None, doing: str) -> str:
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            self.kill()
            raise SimulatorTimeoutError(f"{doing} took longer than {timeout:g} s; worker killed") from None
        if line is None:
            self.kill()
            stderr = self.stderr_tail()
            raise WorkerExitedError(
                f"simulator worker {self.pid} exited (code {self.process.returncode}) while {doing}"
                + (f"; stderr: {stderr}" if stderr else "")
            )
        return line

    def wait_ready(self, timeout: float, expected: SimulatorFacts | None = None) -> SimulatorFacts:
        """Reads the handshake line: the worker's facts.

        Args:
            timeout: seconds to wait for it.
            expected: the facts the requests were checked against; a worker with others is refused.

        Raises:
            SimulatorError: no handshake within `timeout` seconds, the JVM exited, a bad handshake,
                or other facts than `expected` (its jar changed).
        """
        try:
            facts = parse_handshake(self._next_line(timeout, "starting"))
            if expected is not None and facts != expected:
                raise SimulatorError(
                    f"simulator worker {self.pid} reports other facts than its jar did before (the jar "
                    f"changed while the bridge ran: {facts.simulator}): start a new Simulator"
                )
        except SimulatorError:
            self.close()
            raise
        self.facts = facts
        return facts

    def play(self, fields: dict[str, Any], timeout: float | None) -> dict[str, Any]:
        """Plays one level: sends a request of `fields` (all but the id); returns the reply's telemetry.

        Raises:
            SimulatorTimeoutError: no reply within `timeout` seconds (the worker is then killed).
            WorkerExitedError: the worker died before answering.
            SimulatorError: the simulator answered with an error.
        """
        self._next_id += 1
        try:
            self.process.stdin.write(request_line(self._next_id, fields))
            self.process.stdin.flush()
        except (OSError, ValueError):
            self.kill()
            message = f"simulator worker {self.pid} is gone (writing a request failed)"
            raise WorkerExitedError(message) from None
        return parse_reply(self._next_line(timeout, "playing a level"), self._next_id)

    def kill(self) -> None:
        """Kills the JVM at once and reaps it."""
        with contextlib.suppress(OSError):
            self.process.kill()
        self.process.wait()

    def end_input(self) -> None:
        """Closes the JVM's stdin: it exits after its current level."""
        with contextlib.suppress(OSError, ValueError):
            self.process.stdin.close()

    def close(self, grace: float = EXIT_GRACE_SECONDS) -> None:
        """Ends the JVM's input and reaps it, killing it if it is still running after `grace` seconds."""
        self.end_input()
        try:
            self.process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            self.kill()
        self._reader.join(timeout=max(grace, 1.0))
        if not self._reader.is_alive():  # never close a pipe another thread is reading
            with contextlib.suppress(OSError, ValueError):
                self.process.stdout.close()
        self._stderr.close()
