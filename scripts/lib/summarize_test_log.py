"""Summarize an Odoo 18 test-run log.

Usage: summarize_test_log.py LOGFILE ODOO_EXIT_CODE [--interrupted] [--allow-skipped]

Prints the failing tests, the other ERROR/CRITICAL log records and, as the very
last line, ``N passed, N failed, N skipped``. Exits 1 when the run is not a
clean success: a failed, errored or skipped test, no test at all, a non-zero
Odoo exit code, any ERROR/CRITICAL record in the log, or demo data that failed
to load (which Odoo only logs as a WARNING). With --allow-skipped, skipped
tests are listed and counted but do not fail the run.

Formats read (odoo/tests/result.py, odoo/service/server.py, odoo/netsvc.py):
  record:   "<date> <time> <pid> <LEVEL> <db> <logger>: <message>"
  start:    "Starting <Class>.<method> ..."               (INFO, one per test)
  skip:     "skipped <Class>.<method> : <reason>"         (INFO)
  failure:  "FAIL: <Class>.<method>" / "ERROR: <...>"     (ERROR, + traceback)
  summary:  "odoo.tests.result: F failed, E error(s) of N tests when loading
             database 'db'"   (after at_install and post_install tests)
"""

import re
import sys

RECORD = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ "
    r"(?P<level>[A-Z]+) (?P<db>\S+) (?P<logger>[\w.\-]+): (?P<msg>.*)$"
)
SUMMARY = re.compile(
    r"^(?P<failures>\d+) failed, (?P<errors>\d+) error\(s\) of (?P<run>\d+) tests "
    r"when loading database"
)
TEST_FAILURE = re.compile(r"^(?P<kind>FAIL|ERROR): (?P<test>\S.*)$")
SKIP = re.compile(r"^skipped (?P<test>\S+) : (?P<reason>.*)$")
START = re.compile(r"^Starting (?P<test>\S+) \.\.\.")
# The exception line of a traceback, e.g. "odoo.tools.convert.ParseError: ...".
EXCEPTION_LINE = re.compile(
    r"^[A-Za-z_][\w.]*(Error|Exception|Warning|Exit|Interrupt)\b"
)
DEMO_FAILURE = re.compile(r"^Module \S+ demo data failed to install")
# ERROR records that only repeat what the per-test failure lines already say.
FAILURE_ECHOES = (
    re.compile(r"^Module \S+: \d+ failures, \d+ errors of \d+ tests"),
    re.compile(r"^At least one test failed when loading the modules"),
    SUMMARY,
)
MAX_ERRORS_SHOWN = 20


class TestLog:
    """What a test-run log says about the tests."""

    def __init__(self):
        self.summary = None  # (failures, errors, tests run) of the final line
        self.started = 0
        self.skips = []
        self.failures = []
        self.errors = []  # [text, exception line of its traceback]

    def read(self, path):
        last_error = None
        with open(path, encoding="utf-8", errors="replace") as log:
            for line in log:
                record = RECORD.match(line.rstrip("\n"))
                if record:
                    last_error = self._record(
                        record["level"], record["logger"], record["msg"]
                    )
                elif last_error is not None and EXCEPTION_LINE.match(line):
                    # Continuation of a multi-line error: keep the exception.
                    last_error[1] = line.strip()

    def _record(self, level, logger, msg):
        """Account for one log record; return it when it is a reported error."""
        if logger == "odoo.tests.result" and (m := SUMMARY.match(msg)):
            self.summary = (int(m["failures"]), int(m["errors"]), int(m["run"]))
        if level == "INFO":
            if START.match(msg):
                self.started += 1
            elif m := SKIP.match(msg):
                reason = m["reason"].strip()
                self.skips.append(f"{logger}: {m['test']} ({reason})")
            return None
        is_error = level in ("ERROR", "CRITICAL")
        if is_error and (m := TEST_FAILURE.match(msg)):
            self.failures.append(f"{m['kind']}: {logger}: {m['test'].strip()}")
            return None
        # Odoo goes on without demo data that failed to load; tests relying
        # on it would fail for an unrelated reason: report it as an error.
        demo_failure = level == "WARNING" and DEMO_FAILURE.match(msg)
        if demo_failure or (
            is_error and not any(echo.match(msg) for echo in FAILURE_ECHOES)
        ):
            error = [f"{level} {logger}: {msg.strip()}", ""]
            self.errors.append(error)
            return error
        return None

    def counts(self):
        """(tests run, failed, skipped)."""
        if self.summary:
            failures, errors, run = self.summary
            return run, failures + errors, len(self.skips)
        # No final line: Odoo crashed or was stopped; count what was logged.
        return self.started, len(self.failures), len(self.skips)


def failure_reasons(log, odoo_rc, interrupted, allow_skipped):
    run, failed, skipped = log.counts()
    checks = [
        (interrupted, "the run was interrupted"),
        (odoo_rc != 0, f"Odoo exited with status {odoo_rc}"),
        (
            not log.summary,
            "Odoo logged no final test summary (it crashed or was stopped)",
        ),
        (
            run == 0,
            "no test ran (wrong module or tags, or the module failed to install)",
        ),
        (failed, f"{failed} test failure(s)/error(s)"),
        (
            skipped and not allow_skipped,
            f"{skipped} skipped test(s): every test must run",
        ),
        (
            log.errors,
            f"{len(log.errors)} ERROR/CRITICAL log record(s) (or failed demo "
            "data) outside test results",
        ),
    ]
    return [reason for failed_check, reason in checks if failed_check]


def print_details(log):
    if log.failures:
        print("Failing tests:")
        for line in log.failures:
            print(f"  {line}")
    if log.skips:
        print("Skipped tests:")
        for line in log.skips:
            print(f"  {line}")
    if log.errors:
        print("Errors in the log:")
        for text, exception in log.errors[:MAX_ERRORS_SHOWN]:
            print(f"  {text[:300]}")
            if exception:
                print(f"      {exception[:300]}")
        if len(log.errors) > MAX_ERRORS_SHOWN:
            print(f"  ... and {len(log.errors) - MAX_ERRORS_SHOWN} more")


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    path, odoo_rc = argv[1], int(argv[2])
    log = TestLog()
    try:
        log.read(path)
    except OSError as exc:
        print(f"cannot read the test log: {exc}")

    options = argv[3:]
    reasons = failure_reasons(
        log, odoo_rc, "--interrupted" in options, "--allow-skipped" in options
    )
    print_details(log)
    if reasons:
        print("FAILED: " + "; ".join(reasons) + f". Full log: {path}")
    else:
        print(f"OK. Full log: {path}")
    run, failed, skipped = log.counts()
    passed = max(0, run - failed - skipped)
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 1 if reasons else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
