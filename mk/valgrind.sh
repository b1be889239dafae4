#!/bin/sh
# mk/valgrind.sh BUILD -- one whole `make run` cycle with both programs under
# valgrind memcheck: the runner and the reference server must report no
# error and no definite or indirect leak. The server gets slow asynchronous
# timings so that valgrind's slowdown does not close the windows the
# "is creating" scenarios aim at.
set -u
build=${1:-build}
out=${OUT:-out/valgrind}
mkdir -p "$out"
rm -f "$out"/vg-*.log
VALGRIND="valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
--show-leak-kinds=definite,indirect --error-exitcode=99 --log-file=$out/vg-%p.log"
export VALGRIND
OUT="$out" REF_ARGS="--async-ms 1500 --read-timeout-ms 3000 ${REF_ARGS:-}" \
    RUN_ARGS="-q --timeout 60000 ${RUN_ARGS:-}" sh mk/run.sh "$build"
rc=$?
bad=0
for log in "$out"/vg-*.log; do
    [ -s "$log" ] || continue
    echo "valgrind: findings in $log:"
    cat "$log"
    bad=1
done
if [ $rc -ne 0 ] || [ $bad -ne 0 ]; then
    echo "valgrind: FAILED (run exit status $rc)"
    exit 1
fi
echo "valgrind: clean: runner and reference server, no errors, no definite or indirect leaks"
