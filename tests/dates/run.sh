#!/usr/bin/env bash
# The test suite with the process clock set to awkward dates, to prove that no test depends on the day it
# runs: Node, SQLite's date('now') and Chromium all see the faked time (libfaketime, LD_PRELOAD).
#
#   npm run test:dates                          # the whole suite at every date below
#   npm run test:dates -- tests/demo tests/ads  # only these test files or folders (vitest filters)
#   PROMOWATCH_TEST_DATES="2028-02-29 2027-12-31" npm run test:dates   # only the dates starting so
#
# Needs Debian's libfaketime (apt-get install faketime). Each date's vitest output goes to
# $PROMOWATCH_TEST_DATES_LOGS (default: a temporary folder), and a table of results closes the run.
# Exit status: 0 when every date passed, 1 otherwise.
set -uo pipefail
cd "$(dirname "$0")/../.."

LIB=${FAKETIME_LIB:-/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1}
if [ ! -r "$LIB" ]; then
  echo "test:dates: $LIB not found; install libfaketime (apt-get install faketime) or set FAKETIME_LIB" >&2
  exit 2
fi

# Each run: the instant its clock starts at (UTC) | the machine's zone (TZ) | what makes it awkward.
# The demo and most sites live in Europe/Moscow (UTC+3, no DST): several instants put UTC and Moscow on
# different days. The DST runs start two minutes before the change, so it happens while tests run.
MATRIX=(
  "2027-03-01T00:05:00Z|UTC|the 1st of a month, minutes after midnight (03:05 in Moscow)"
  "2027-01-31T22:30:00Z|UTC|the 31st of January here, already 1 February in Moscow"
  "2028-02-29T12:00:00Z|Europe/Moscow|29 February of a leap year, the machine on Moscow time"
  "2027-12-31T23:58:00Z|UTC|31 December: the run crosses into 2028 (Moscow is there already)"
  "2027-03-28T00:58:00Z|Europe/Berlin|spring forward: 01:58 CET, clocks jump from 02:00 to 03:00 during the run"
  "2027-10-31T00:58:00Z|Europe/Berlin|fall back: 02:58 CEST, clocks go from 03:00 back to 02:00 during the run"
)

LOGS=${PROMOWATCH_TEST_DATES_LOGS:-$(mktemp -d -t promowatch-dates.XXXXXX)}
mkdir -p "$LOGS"
results=()
failed=0

for entry in "${MATRIX[@]}"; do
  IFS='|' read -r instant zone why <<<"$entry"
  if [ -n "${PROMOWATCH_TEST_DATES:-}" ] && ! [[ " $PROMOWATCH_TEST_DATES " == *" ${instant:0:10} "* ]]; then
    continue
  fi
  log="$LOGS/${instant:0:10}.log"
  echo "=== $instant, TZ=$zone: $why"
  # A relative offset, not a fixed start ("@…"): every process the suite starts (vitest's workers,
  # Chromium, the CLI tests' children) then reads the same clock instead of starting again at $instant.
  # The monotonic clock stays real, so timeouts and elapsed-time measurements keep working. With it,
  # libfaketime 0.9.10's "monotonic fix" (on by default with glibc) makes each timed wait on a
  # CLOCK_MONOTONIC condition last its whole timeout: Chromium then takes 20–30 s to open a page and
  # to close (measured; under 1 s with the fix off).
  offset=$(($(date -u -d "$instant" +%s) - $(date -u +%s)))
  run() {
    env TZ="$zone" LD_PRELOAD="$LIB" FAKETIME="+$offset" \
      FAKETIME_DONT_FAKE_MONOTONIC=1 FAKETIME_FORCE_MONOTONIC_FIX=0 "$@"
  }
  # First prove the faked time arrives where the tests read it.
  if ! run node --import tsx tests/dates/clock-check.ts "$instant"; then
    echo "test:dates: the faked clock did not reach every process; not running the suite at $instant" >&2
    results+=("$instant  TZ=$zone  clock check failed")
    failed=1
    continue
  fi
  start=$SECONDS
  run npx vitest run "$@" >"$log" 2>&1
  code=$?
  summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
  results+=("$instant  TZ=$zone  ${summary:-no summary (see $log)}  exit $code  $((SECONDS - start)) s")
  if [ "$code" -ne 0 ]; then
    failed=1
    grep -E '(FAIL|×) ' "$log" | head -n 20
  fi
  echo "${results[-1]}"
done

echo
echo "Results (logs in $LOGS):"
printf '  %s\n' "${results[@]}"
exit $failed
