#!/usr/bin/env bash
# End-to-end checks of the `anneal` command line: exit statuses, files
# written, and error messages that name the file and the place.
#
#     Tests/cli/check.sh [path/to/anneal [path/to/anneal-fuzz]]
#                                   (defaults: .build/debug/anneal, .build/debug/anneal-fuzz)
set -u
cd "$(dirname "$0")/../.."
anneal=${1:-.build/debug/anneal}
fuzz=${2:-.build/debug/anneal-fuzz}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

# expect STATUS DESCRIPTION COMMAND...: runs the command, checks its exit status.
expect() {
    local status=$1 description=$2
    shift 2
    "$@" >"$work/out" 2>"$work/err"
    local got=$?
    if [ "$got" -eq "$status" ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL: $description: expected exit $status, got $got"
        sed 's/^/  | /' "$work/out" "$work/err" | head -20
    fi
}

# contains TEXT FILE DESCRIPTION: the last command's output mentions TEXT.
contains() {
    if grep -qF -- "$1" "$2"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL: $3: \"$1\" not in the output"
        sed 's/^/  | /' "$2" | head -10
    fi
}

golden=Fixtures/compare/StepLR.golden.json

# run: a spec, one output file; then the candidate matches its golden.
expect 0 "run writes a candidate" "$anneal" run "$golden" -o "$work/candidate.json"
contains '"kind": "anneal"' "$work/candidate.json" "the candidate's source"
expect 0 "diff of the candidate with its golden" "$anneal" diff "$golden" "$work/candidate.json"
contains "match:" "$work/out" "diff reports the match"

# run: several specs into a directory, under their own file names.
expect 0 "run --output-dir" "$anneal" run Golden/StepLR/random-00.json "$golden" --output-dir "$work/out-dir"
[ -f "$work/out-dir/random-00.json" ] && [ -f "$work/out-dir/StepLR.golden.json" ] && passed=$((passed + 1)) ||
    { failed=$((failed + 1)); echo "FAIL: run --output-dir did not write both files"; }

# diff without a candidate runs the golden's spec.
expect 0 "diff runs the spec" "$anneal" diff "$(ls Golden/CyclicLR/*.json | head -1)"
expect 0 "diff --format json" "$anneal" diff "$golden" --format json
contains '"match": true' "$work/out" "diff --format json"

# A golden perturbed by one ULP is caught, with the place and the distance.
expect 1 "diff catches one ULP" "$anneal" diff "$golden" Fixtures/compare/StepLR.candidate-1ulp.json
contains "distance 1 ULP" "$work/out" "the distance is reported"
contains "first divergence at record" "$work/out" "the record is reported"

# Malformed input: exit 65, and the message names the file and the place.
for file in Fixtures/malformed/*.json; do
    expect 65 "diff $file" "$anneal" diff "$file"
    contains "$file: " "$work/err" "diff names $file"
    expect 65 "run $file" "$anneal" run "$file" -o "$work/x.json"
    contains "$file: " "$work/err" "run names $file"
done
contains "62:4: unexpected end of input" <("$anneal" diff Fixtures/malformed/truncated.json 2>&1) "line and column"
expect 65 "diff of a missing file" "$anneal" diff "$work/missing.json"
contains "missing.json" "$work/err" "the missing file is named"
expect 65 "conformance of a missing directory" "$anneal" conformance "$work/no-such-dir"

# Values PyTorch holds but Anneal does not (ints past 64 bits): exit 65, the
# file, the place and the value; never a signal.
for file in Fixtures/limits/*.json; do
    for command in run diff; do
        if [ $command = run ]; then expect 65 "run $file" "$anneal" run "$file" -o "$work/x.json"
        else expect 65 "diff $file" "$anneal" diff "$file"; fi
        contains "$file: " "$work/err" "$command names $file"
        contains "beyond what Anneal represents: " "$work/err" "$command says what is beyond Anneal in $file"
    done
done
# `repeat` repeats a metric: one record per repetition.
expect 0 "run a repeated metric" "$anneal" run "Golden/Limits/ReduceLROnPlateau,metric,repeat=7.json" -o "$work/repeat.json"
expect 0 "diff a repeated metric" "$anneal" diff "Golden/Limits/ReduceLROnPlateau,metric,repeat=7.json" "$work/repeat.json"

# Bad arguments: EX_USAGE.
expect 64 "run without an output" "$anneal" run "$golden"
expect 64 "run -o with two specs" "$anneal" run "$golden" "$golden" -o "$work/y.json"
expect 64 "an unknown option" "$anneal" diff "$golden" --colour
expect 64 "an unknown format" "$anneal" diff "$golden" --format yaml

# anneal train with checkpoints: --keep bounds the files kept, --keep 0 keeps
# all, and --resume continues from the newest one with the same lines.
spec=Examples/seed3-mlp/steplr.json
expect 0 "train uninterrupted" "$anneal" train "$spec" --model seed3 --epochs 6
cp "$work/out" "$work/uninterrupted"
expect 0 "train --keep 2" "$anneal" train "$spec" --model seed3 --epochs 4 --checkpoint-dir "$work/keep2" --keep 2
[ "$(ls "$work/keep2" | wc -l)" -eq 2 ] && passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL: --keep 2 left $(ls "$work/keep2" | wc -l) files"; }
expect 0 "train --keep 0" "$anneal" train "$spec" --model seed3 --epochs 4 --checkpoint-dir "$work/keep0" --keep 0
[ "$(ls "$work/keep0" | wc -l)" -eq 4 ] && passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL: --keep 0 left $(ls "$work/keep0" | wc -l) files"; }
expect 0 "train --resume" "$anneal" train "$spec" --model seed3 --epochs 6 --checkpoint-dir "$work/keep0" --resume
if diff <(tail -2 "$work/uninterrupted") "$work/out" >/dev/null; then passed=$((passed + 1)); else
    failed=$((failed + 1)); echo "FAIL: the resumed epochs differ from the uninterrupted run's"; fi
expect 64 "train --keep -1" "$anneal" train "$spec" --checkpoint-dir "$work/keep0" --keep=-1
contains "--keep must be 0 or more, got -1" "$work/err" "the bad --keep is named"

# The fuzz harness (without libFuzzer) over its seeds and every input a
# fuzzer found (Fixtures/fuzz/TARGET/): no signal, exit 0.
if [ -x "$fuzz" ]; then
    shopt -s nullglob globstar
    expect 0 "fuzz spec over the goldens and fixtures" "$fuzz" spec Golden/**/*.json Fixtures/malformed/*.json \
        Fixtures/limits/*.json Fixtures/compare/*.json Fixtures/fuzz/spec/*
    expect 0 "fuzz checkpoint over the fixtures" "$fuzz" checkpoint Fixtures/checkpoints/*.safetensors Fixtures/fuzz/checkpoint/*
    expect 0 "fuzz state seeds" "$fuzz" --state-seeds Golden "$work/state-seeds"
    expect 0 "fuzz state over the goldens' state dicts" "$fuzz" state "$work"/state-seeds/* Fixtures/fuzz/state/*
    shopt -u nullglob globstar
else
    failed=$((failed + 1)); echo "FAIL: no fuzz harness at $fuzz"
fi

# The whole corpus.
expect 0 "conformance of Golden/" "$anneal" conformance Golden
contains "goldens pass (100%)" "$work/out" "conformance prints 100%"

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
