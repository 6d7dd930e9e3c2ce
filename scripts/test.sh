#!/usr/bin/env bash
# scripts/test.sh - the project's one test command (CI runs it through .ci/run).
#
#   scripts/test.sh [dotnet test args...]    e.g. scripts/test.sh --filter "FullyQualifiedName~Spool"
#   scripts/test.sh --summarize LOG [RC]     re-read a saved `dotnet test` log (RC: its exit code, default 0)
#
# Starts the real RabbitMQ, Redis and dnsmasq (scripts/services.sh, which installs them when missing), points the
# tests at them through PIPELINE_TEST_RABBITMQ / PIPELINE_TEST_REDIS / PIPELINE_TEST_DNS, runs `dotnet test` on the
# solution, keeps the whole output in ${PIPELINE_RUN_DIR:-/tmp/pipeline-run}/test-logs/, and ends with exactly one
# closing line `N passed, N failed` (`, N skipped` when some were). Exit code 0 only when tests ran and none failed.
#
# Environment: PIPELINE_RUN_DIR; PIPELINE_TEST_TIMEOUT (default 75m, a `timeout` duration; applied only without a
# terminal, so a hung test still leaves CI, which allows 90 min in all, a summary line and the log).
set -uo pipefail   # no -e: every failure below must still end in the closing line

# summarize LOG RC: sums the test counts dotnet test printed and prints the closing line; returns 0 only when RC is
# 0, at least one test ran and none failed. It reads, in this order, whichever the log has:
#  1. VSTest's one-line summary per assembly (console logger at minimal verbosity, dotnet test's default):
#       Passed!  - Failed:     0, Passed:    12, Skipped:     0, Total:    12, Duration: 3 s - Foo.Tests.dll (net10.0)
#       Failed!  - Failed:     1, Passed:    11, Skipped:     0, Total:    12, Duration: 3 s - Foo.Tests.dll (net10.0)
#  2. VSTest's block per assembly at normal verbosity (what this script asks for, so the log names every test);
#     its lines are summed one by one, since blocks of assemblies run in parallel may interleave:
#       Test Run Failed.
#       Total tests: 12
#            Passed: 11
#            Failed: 1
#           Skipped: 0           (a zero count is left out)
#        Total time: 3.1 Seconds
#  3. the "Test run summary:" block of Microsoft.Testing.Platform (total:/failed:/succeeded:/skipped:).
summarize() {
  local log=$1 rc=${2:-0} passed failed skipped assemblies
  read -r passed failed skipped assemblies < <(awk '
    function num(s, label,   rest) {          # the number after "label" in s
      rest = substr(s, index(s, label) + length(label)); match(rest, /[0-9]+/); return substr(rest, RSTART, RLENGTH) + 0
    }
    { gsub(/\r/, ""); gsub(/\033\[[0-9;]*[A-Za-z]/, "") }   # CRs and colour codes, should a terminal have added some
    match($0, /[A-Za-z]+! +- +Failed: +[0-9]+, +Passed: +[0-9]+, +Skipped: +[0-9]+, +Total: +[0-9]+/) {
      line = substr($0, RSTART)
      key = line; sub(/.* - /, "", key)        # "Foo.Tests.dll (net10.0)": an assembly counts once even if echoed twice
      if (!(key in seen)) { seen[key] = 1; n1++; f1 += num(line, "Failed:"); p1 += num(line, "Passed:"); s1 += num(line, "Skipped:") }
      next
    }
    /^Test Run (Successful|Failed|Aborted)\.$/ { n2++; next }
    /^ +Passed: +[0-9]+$/  { p2 += num($0, "Passed:"); next }
    /^ +Failed: +[0-9]+$/  { f2 += num($0, "Failed:"); next }
    /^ +Skipped: +[0-9]+$/ { s2 += num($0, "Skipped:"); next }
    /Test run summary:/ { mtp = 1; next }
    mtp && /^ *failed: *[0-9]+/    { f3 += num($0, "failed:") }
    mtp && /^ *succeeded: *[0-9]+/ { p3 += num($0, "succeeded:") }
    mtp && /^ *skipped: *[0-9]+/   { s3 += num($0, "skipped:") }
    mtp && /^ *duration:/          { mtp = 0; n3++ }
    END {
      if (n1) print p1 + 0, f1 + 0, s1 + 0, n1
      else if (n2) print p2 + 0, f2 + 0, s2 + 0, n2
      else print p3 + 0, f3 + 0, s3 + 0, n3 + 0
    }
  ' "$log")
  echo "test.sh: read $assemblies test run summaries from $log"
  local ok=1
  if [ "$rc" != 0 ] && [ "$failed" = 0 ]; then
    # a build error, crashed test host or timeout fails no test by name: count it as one failure
    echo "test.sh: dotnet test exited $rc without a failed test in its summaries (build error, crash or timeout?): counted as 1 failed; log: $log"
    failed=1
  fi
  [ "$rc" = 0 ] && [ "$failed" = 0 ] || ok=0
  # skipped tests did not run either: a run of only skipped tests proves nothing
  if [ $((passed + failed)) = 0 ]; then echo "test.sh: no test ran; log: $log"; ok=0; fi
  local closing="$passed passed, $failed failed"
  [ "$skipped" -gt 0 ] && closing="$closing, $skipped skipped"
  echo "$closing"
  [ "$ok" = 1 ]
}

if [ "${1:-}" = --summarize ]; then
  [ -f "${2:-}" ] || { echo "usage: scripts/test.sh --summarize LOG [RC]" >&2; exit 2; }
  summarize "$2" "${3:-0}"; exit
fi

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT" || exit 1
# no first-run banner, telemetry notice or terminal logger in the output we parse
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 MSBUILDTERMINALLOGGER=off

RUN_DIR=${PIPELINE_RUN_DIR:-/tmp/pipeline-run}
mkdir -p "$RUN_DIR/test-logs"
# one log per run ($$: two runs in the same second must not share a log and be counted twice); keep the last 20
LOG=$RUN_DIR/test-logs/test-$(date +%Y%m%d-%H%M%S)-$$.log
ln -sfn "$LOG" "$RUN_DIR/test-logs/last.log"
find "$RUN_DIR/test-logs" -name 'test-*.log' -type f -printf '%T@ %p\n' | sort -rn | tail -n +21 | cut -d' ' -f2- \
  | xargs -r rm -f

if ! bash scripts/services.sh start 2>&1 | tee -a "$LOG"; then
  echo "test.sh: scripts/services.sh start failed; log: $LOG"
  echo "0 passed, 1 failed"; exit 1
fi
# PIPELINE_TEST_RABBITMQ=amqp://guest:guest@127.0.0.1:5672/pipeline-test, PIPELINE_TEST_REDIS=127.0.0.1:6379,
# PIPELINE_TEST_DNS=127.0.0.1:5353: one source of truth for ports and vhost, services.sh
eval "$(bash scripts/services.sh env)"

SOLUTION=Pipeline.sln
[ -f "$SOLUTION" ] || { [ -f Pipeline.slnx ] && SOLUTION=Pipeline.slnx; }

TIMEOUT=()
[ -t 0 ] || TIMEOUT=(timeout -k 30s "${PIPELINE_TEST_TIMEOUT:-75m}")   # on a terminal, Ctrl-C is the timeout

echo "test.sh: dotnet test $SOLUTION $* (log: $LOG)" | tee -a "$LOG"
"${TIMEOUT[@]}" dotnet test "$SOLUTION" --logger "console;verbosity=normal" "$@" 2>&1 | tee -a "$LOG"
rc=${PIPESTATUS[0]}
[ "$rc" = 124 ] && echo "test.sh: dotnet test timed out after ${PIPELINE_TEST_TIMEOUT:-75m}"

summarize "$LOG" "$rc"
