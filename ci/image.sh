#!/bin/sh
# ci/image.sh build SRC PREFIX -- the build steps of the Dockerfile: install
# the build dependencies, build the program, install it with its catalog,
# suite, man page and documents under PREFIX (a staging directory that the
# image copies to /usr/local). tests/ci/check.sh runs the same steps.
set -eu
[ "${1:-}" = build ] || { echo "usage: ci/image.sh build SRC PREFIX" >&2; exit 2; }
src=$2
prefix=$3
sh "$src/mk/deps.sh"
make -C "$src" --no-print-directory BUILD=build/image build/image/apiconform
make -C "$src" --no-print-directory BUILD=build/image PREFIX=/usr/local \
    DESTDIR="$prefix.stage" PROGRAMS=build/image/apiconform install
rm -rf "$prefix"
mkdir -p "$(dirname "$prefix")"
mv "$prefix.stage/usr/local" "$prefix"
rm -rf "$prefix.stage"
