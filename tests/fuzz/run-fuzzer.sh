#!/usr/bin/env bash
# run-fuzzer.sh: run one libFuzzer target for a while on a copy of its seed corpus
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: run-fuzzer.sh TARGET CORPUS_DIR SECONDS [LIBFUZZER_ARGS...]
# The seed corpus in the tree is never written to: the fuzzer works on a copy
# in a temporary directory. When the target fails, the inputs that made it
# fail are kept in ./fuzz-artifacts/TARGET/ (meson runs tests from the build
# directory) and printed in base64, so that a CI log alone can reproduce them.

set -euo pipefail

if [ $# -lt 3 ]; then
    echo "usage: $0 TARGET CORPUS_DIR SECONDS [LIBFUZZER_ARGS...]" >&2
    exit 2
fi

target=$1
corpus=$2
seconds=$3
shift 3
name=$(basename "$target")

work=$(mktemp -d "${TMPDIR:-/tmp}/sonde-$name-XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir "$work/corpus" "$work/artifacts"
if [ -d "$corpus" ]; then
    cp -R "$corpus/." "$work/corpus/"
fi

# libFuzzer exits 77 on a failure by default, which meson reads as "skipped".
status=0
"$target" -max_total_time="$seconds" -timeout=25 -error_exitcode=1 -timeout_exitcode=1 \
    -print_final_stats=1 -artifact_prefix="$work/artifacts/" "$@" "$work/corpus" || status=$?

if [ $status -ne 0 ]; then
    keep="$PWD/fuzz-artifacts/$name"
    mkdir -p "$keep"
    for artifact in "$work/artifacts"/*; do
        [ -f "$artifact" ] || continue
        cp "$artifact" "$keep/"
        echo "$name failed on $keep/$(basename "$artifact"), base64:"
        base64 "$artifact"
    done
fi
exit $status
