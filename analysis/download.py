"""Downloading over a flaky network: retries, time-outs, and giving up on a host.

Assumptions. An upstream file is static: its URL always serves the same bytes, which
the manifest's sha256 checks. A failure is either transient (another attempt may
succeed) or not (it would fail the same way again); where it happened tells which.

Steps, for one file (a pooch downloader, called once per attempt).
1. Before the answer: urllib3's `Retry`, mounted on the requests session, retries a
   connection that is refused or not opened within `CONNECT_TIMEOUT`, and an answer
   of HTTP 429 or 5xx, with exponential backoff, honouring `Retry-After` up to
   `RETRY_AFTER_MAX` seconds. When it has spent its attempts the file has failed:
   pooch is not asked to start over, so the two retry budgets never multiply.
2. In the body: a connection reset or a body shorter than its Content-Length (which
   urllib3 checks) is left to pooch's `retry_if_failed`, which downloads the whole
   file again into a fresh temporary name after a growing pause (1, 2, 3 s).
3. The bytes are hashed as they arrive. A first mismatch is retried like a broken
   body (a proxy may have garbled it); a second is final, so a file whose bytes
   differ from the manifest is downloaded at most twice.
4. Final at once: HTTP 404 or any other 4xx but 429, and `READ_TIMEOUT` seconds
   without a byte (a silent host would otherwise cost that much per attempt).
5. Once `HOST_FAILURES` files in a row have failed on one host for network reasons,
   the host is given up for the rest of the run; its remaining files are not tried.

Sessions are per thread, since requests does not promise that a Session may be
shared between threads; with one session and one connection per worker thread, a
run opens at most as many connections as it has workers.

Known drawbacks. pooch's pause between whole-file attempts is fixed (1, 2, 3 s) and
does not read `Retry-After`. A read time-out is not retried, so one long stall fails
its file although a second try might have worked; the next `fetch` picks it up.
Several files in a row counts in order of completion, which with several workers
is not quite the order of the manifest.
"""

from __future__ import annotations

import hashlib
import threading
from urllib.parse import urlparse

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import MaxRetryError
from urllib3.util.retry import Retry

CONNECT_TIMEOUT = 4.0  # seconds to open a connection
READ_TIMEOUT = 10.0  # seconds without a byte, before the answer or inside the body
CONNECT_RETRIES = 2  # urllib3: further attempts to open a connection
STATUS_RETRIES = 4  # urllib3: further requests after HTTP 429 or 5xx
RETRY_AFTER_MAX = 30  # seconds: a longer Retry-After is waited this long
BACKOFF = 0.5  # urllib3: pauses of 0, 1, 2, 4 s between requests
BODY_RETRIES = 3  # pooch's retry_if_failed: further whole-file attempts
HOST_FAILURES = 3  # files in a row failing on one host before it is given up
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_CHUNK = 1 << 16


class GaveUp(Exception):
    """A file's failure that is final for this run.

    Not a `ValueError` nor a `requests.RequestException`, the two that pooch retries.
    `host_fault` says whether it counts towards giving up the host.
    """

    def __init__(self, reason: str, *, host_fault: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.host_fault = host_fault


class HostGivenUp(GaveUp):
    """The file's host was given up before this attempt."""


class HostBreaker:
    """Counts the files in a row that failed on each host, and gives a host up.

    While a host's current streak holds a failure, it gets one file at a time: the
    files in flight finish first, so a host that fails everything is given up
    after one round of workers, not two.
    """

    def __init__(self, limit: int = HOST_FAILURES) -> None:
        self.limit = limit
        self._streak: dict[str, int] = {}
        self._busy: dict[str, int] = {}
        self._turn = threading.Condition()

    def check(self, host: str) -> None:
        """Raise `HostGivenUp` for a host already given up."""
        with self._turn:
            self._check(host)

    def _check(self, host: str) -> None:
        if self._streak.get(host, 0) >= self.limit:
            raise HostGivenUp(self.reason(host), host_fault=False)

    def enter(self, host: str) -> None:
        """Wait for a turn to start a file on `host`; raise if it was given up."""
        with self._turn:
            while self._streak.get(host, 0) and self._busy.get(host, 0):
                self._turn.wait()
            self._check(host)
            self._busy[host] = self._busy.get(host, 0) + 1

    def leave(self, host: str, *, failed: bool) -> None:
        """A file on `host` is done; a host given up stays given up."""
        with self._turn:
            self._busy[host] -= 1
            streak = self._streak.get(host, 0)
            if streak < self.limit:
                self._streak[host] = streak + 1 if failed else 0
            self._turn.notify_all()

    def reason(self, host: str) -> str:
        return f"not tried: gave up on {host} after {self.limit} files in a row failed on it"


def host_of(url: str) -> str:
    """`host:port` of an http(s) URL; empty for a local path."""
    return urlparse(url).netloc


def retry_policy() -> Retry:
    """urllib3's retries before an answer arrives (step 1 of the module docstring)."""
    return Retry(
        total=None,
        connect=CONNECT_RETRIES,
        read=False,  # re-raise: a reset goes to pooch, a time-out is final
        status=STATUS_RETRIES,
        other=0,
        redirect=5,
        status_forcelist=RETRY_STATUSES,
        backoff_factor=BACKOFF,
        raise_on_status=False,  # hand back the last answer, to name its status
        respect_retry_after_header=True,
        retry_after_max=RETRY_AFTER_MAX,
    )


def _root_cause(exc: BaseException) -> str:
    """The innermost OS or protocol error, in a few words."""
    seen = exc
    while True:
        inner = getattr(seen, "reason", None)
        if not isinstance(inner, BaseException):
            inner = next((a for a in seen.args if isinstance(a, BaseException)), None)
        if inner is None:
            inner = seen.__cause__ or seen.__context__
        if inner is None or inner is seen:
            break
        seen = inner
    if isinstance(seen, OSError) and seen.strerror:
        return seen.strerror
    return str(seen) or type(seen).__name__


def describe(exc: requests.RequestException) -> str:
    """A broken download in a few words, for the summary."""
    return f"{type(exc).__name__}: {_root_cause(exc)}"


class Client:
    """HTTP downloads for one fetch run: a session per thread and one host breaker."""

    def __init__(self) -> None:
        self.breaker = HostBreaker()
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._lock = threading.Lock()

    def session(self) -> requests.Session:
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            adapter = HTTPAdapter(max_retries=retry_policy(), pool_connections=1, pool_maxsize=1)
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            self._local.session = session
            with self._lock:
                self._sessions.append(session)
        return session

    def close(self) -> None:
        with self._lock:
            for session in self._sessions:
                session.close()
            self._sessions.clear()

    def downloader(self, sha256: str) -> Download:
        """A pooch downloader for one file whose bytes should hash to `sha256`."""
        return Download(self, sha256)


class Download:
    """A pooch downloader (`url, output_file, pooch`) for one file; see the steps above."""

    def __init__(self, client: Client, sha256: str) -> None:
        self.client = client
        self.sha256 = sha256
        self.mismatches = 0

    def __call__(self, url: str, output_file: str, _pooch: object) -> None:
        host = host_of(url)
        self.client.breaker.check(host)
        try:
            response = self.client.session().get(
                url, stream=True, timeout=(CONNECT_TIMEOUT, READ_TIMEOUT)
            )
        except requests.ConnectTimeout as exc:
            raise GaveUp(
                f"no connection within {CONNECT_TIMEOUT:g} s, {CONNECT_RETRIES + 1} attempts",
                host_fault=True,
            ) from exc
        except requests.ReadTimeout as exc:
            raise GaveUp(f"no answer within {READ_TIMEOUT:g} s", host_fault=True) from exc
        except requests.ConnectionError as exc:
            if exc.args and isinstance(exc.args[0], MaxRetryError):  # urllib3 gave up
                raise GaveUp(
                    f"could not connect ({_root_cause(exc)}), {CONNECT_RETRIES + 1} attempts",
                    host_fault=True,
                ) from exc
            raise  # reset before the answer: pooch tries again
        with response:
            if response.status_code >= 400:
                raise GaveUp(
                    _status_reason(response),
                    host_fault=response.status_code == 429 or response.status_code >= 500,
                )
            digest = hashlib.sha256()
            with open(output_file, "wb") as out:
                try:
                    for chunk in response.iter_content(_CHUNK):
                        out.write(chunk)
                        digest.update(chunk)
                except requests.ConnectionError as exc:  # requests' name for a read time-out
                    raise GaveUp(
                        f"stalled: no byte for {READ_TIMEOUT:g} s in the middle of the file",
                        host_fault=True,
                    ) from exc
        if digest.hexdigest() != self.sha256:
            self.mismatches += 1
            if self.mismatches > 1:
                raise GaveUp(
                    f"sha256 mismatch on {self.mismatches} downloads: got "
                    f"{digest.hexdigest()}, the manifest expects {self.sha256}",
                    host_fault=False,
                )
        # a first mismatch falls through to pooch's own check, which retries it


def _status_reason(response: requests.Response) -> str:
    retries = getattr(response.raw, "retries", None)
    attempts = 1 + len(retries.history) if retries is not None else 1
    reason = f"HTTP {response.status_code} {response.reason or ''}".rstrip()
    return reason + (f" after {attempts} attempts" if attempts > 1 else "")
