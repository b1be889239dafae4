#!/bin/sh
# mk/run.sh BUILD -- the main job of `make run`: start the reference server
# on an ephemeral loopback port (fault injection on, small quotas, the extra
# accounts), run the whole suite against it with every capability allowed,
# write the reports into out/, stop the server, say where the reports are.
# Also the model of a real run: only the base URL and the credentials differ.
set -u
build=${1:-build}
out=${OUT:-out}
mkdir -p "$out"

"$build/apiconform" catalog lint catalog/nce-errors.json >/dev/null || exit 2

portfile="$out/.ref-port"
rm -f "$portfile"
# Quotas: small enough that a limit scenario exhausts one in a few dozen
# requests, large enough for --jobs 8 stateful scenarios at once (the runner
# runs limit scenarios alone, last).
${VALGRIND:-} "$build/apiconform-ref" --port 0 --faults --quiet \
    --quota secret-keys=16 --quota repositories=12 --quota tags=6 --quota loadbalancers=16 \
    --quota certs=16 --quota ips-nce=16 --quota ips-nlb=16 --quota services=16 \
    --quota containers=64 --quota replicas=40 ${REF_ARGS:-} \
    >"$portfile" 2>"$out/reference.log" &
ref=$!
trap 'kill $ref 2>/dev/null; wait $ref 2>/dev/null' EXIT INT TERM
i=0
while [ ! -s "$portfile" ] && [ $i -lt 600 ]; do
    sleep 0.05
    i=$((i + 1))
done
port=$(head -n 1 "$portfile")
if [ -z "$port" ]; then
    echo "make run: the reference server did not start; see $out/reference.log" >&2
    exit 3
fi

# The reference server's accounts (reference/README.md). Against a real
# target these come from the CI's secret store, never from a file.
export APICONFORM_APP_KEY=conformance-key APICONFORM_APP_SECRET=conformance-secret
export OTHER_KEY=other-key OTHER_SECRET=other-secret
export BROKE_KEY=broke-key BROKE_SECRET=broke-secret
export FROZEN_KEY=frozen-key FROZEN_SECRET=frozen-secret
export LIMITED_KEY=limited-key LIMITED_SECRET=limited-secret

# profiles/reference.json names these variables, the accounts, the
# capabilities (all) and the quotas above; only the port is not known before.
${VALGRIND:-} "$build/apiconform" run --profile profiles/reference.json \
    --base-url "http://127.0.0.1:$port" \
    --junit "$out/junit.xml" --html "$out/report.html" --markdown "$out/summary.md" \
    --json "$out/results.json" ${SUITE:+--suite "$SUITE"} ${RUN_ARGS:-}
rc=$?
# What the run left on the server: a conforming run leaves only the
# persistent fixtures, the repositories the API cannot delete (after
# the server's asynchronous deletions, 200 ms by default, have finished).
if [ -z "${NO_STATE:-}" ]; then
    sleep 0.5
    curl -s "http://127.0.0.1:$port/__ref/state" >"$out/reference-state.json" 2>/dev/null || true
fi
kill $ref 2>/dev/null
wait $ref
refrc=$?
trap - EXIT INT TERM
if [ $refrc -ne 0 ]; then
    echo "make run: the reference server exited with status $refrc; see $out/reference.log" >&2
    [ $rc -eq 0 ] && rc=3
fi
echo "reports: $out/junit.xml $out/report.html $out/summary.md $out/results.json"
exit $rc
