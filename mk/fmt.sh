#!/bin/sh
# mk/fmt.sh [--check] -- the project's C sources in the house format
# (.clang-format at the root). Without --check it rewrites every file that
# differs, in place; with --check it changes nothing, names each file that
# differs with the first lines of its diff, and exits 1 if there is one.
# Exit 2 when clang-format is missing (make fmt installs it first).
#
# The files are every .c and .h under the source directories; build/ and
# anything generated are not looked at. CLANG_FORMAT picks the program.
set -u
cd "$(dirname "$0")/.." || exit 2
# The tree is formatted by clang-format 14 (Debian 12's): another major
# version lays some lines out differently, so 14 is preferred when present.
if [ -n "${CLANG_FORMAT:-}" ]; then
    cf=$CLANG_FORMAT
elif command -v clang-format-14 >/dev/null 2>&1; then
    cf=clang-format-14
else
    cf=clang-format
fi
if ! command -v "$cf" >/dev/null 2>&1; then
    echo "mk/fmt.sh: $cf not found (sh mk/deps.sh --fmt installs it)" >&2
    exit 2
fi
check=0
if [ "${1:-}" = "--check" ]; then
    check=1
fi
files=$(find common catalog suite runners reports reference tests bench \
    -name '*.[ch]' -type f 2>/dev/null | LC_ALL=C sort)
bad=0
for f in $files; do
    if [ $check -eq 1 ]; then
        if ! "$cf" "$f" | diff -u "$f" - >/tmp/ac-fmt.$$ 2>&1; then
            bad=$((bad + 1))
            echo "mk/fmt.sh: $f is not in the house format (make fmt rewrites it):"
            sed -n '3,12p' /tmp/ac-fmt.$$ | sed 's/^/    /'
        fi
    else
        "$cf" -i "$f" || exit 2
    fi
done
rm -f /tmp/ac-fmt.$$
if [ $bad -gt 0 ]; then
    echo "mk/fmt.sh: $bad file(s) differ from .clang-format ($($cf --version | head -n 1))"
    exit 1
fi
exit 0
