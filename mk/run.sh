#!/bin/sh
# mk/run.sh BUILD -- the main job of `make run`: start the reference server
# on an ephemeral loopback port, run the whole suite against it with every
# capability allowed, write the reports into out/, stop the server.
set -eu
build=$1
mkdir -p out
"$build/apiconform" catalog lint catalog/nce-errors.json
