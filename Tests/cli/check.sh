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

# holds DESCRIPTION COMMAND...: the command succeeds (a condition, not the CLI under test).
holds() {
    local description=$1
    shift
    if "$@"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL: $description"
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

# One writer per directory: with the lock held (here by flock(1)), train stops
# at once, exit 1, naming the holder's pid; the lock file is no checkpoint.
mkdir -p "$work/locked"
flock -o "$work/locked/.anneal-lock" sh -c 'echo $$ > "$1"; exec sleep 30' sh "$work/locked/.anneal-lock" &
holder=$!
for _ in $(seq 500); do [ -s "$work/locked/.anneal-lock" ] && break; sleep 0.01; done
expect 1 "train on a locked directory" "$anneal" train "$spec" --model seed3 --epochs 2 --checkpoint-dir "$work/locked"
contains "in use by another writer: process $(cat "$work/locked/.anneal-lock") holds the lock" "$work/err" "the holder's pid is named"
kill "$(cat "$work/locked/.anneal-lock")"; wait "$holder" 2>/dev/null
expect 0 "train once the lock is free" "$anneal" train "$spec" --model seed3 --epochs 2 --checkpoint-dir "$work/locked"
expect 0 "verify ignores the lock file" "$anneal" checkpoint verify "$work/locked"

# A fresh run in a directory holding another run's checkpoints is refused.
expect 1 "fresh train into a used directory" "$anneal" train "$spec" --model seed3 --epochs 2 --checkpoint-dir "$work/keep0"
contains "already holds 3 checkpoint files" "$work/err" "the refusal says why"
contains "pass --resume" "$work/err" "the refusal suggests --resume"

# Resuming past --epochs says so.
expect 0 "train --resume past --epochs" "$anneal" train "$spec" --model seed3 --epochs 3 --checkpoint-dir "$work/keep0" --resume
contains "is at epoch 6, already past --epochs 3; nothing to train" "$work/err" "nothing to train"

# Names are not trusted; directories and symlinks under checkpoint names are reported.
expect 65 "verify Fixtures/checkpoints/store-names" "$anneal" checkpoint verify Fixtures/checkpoints/store-names
contains "checkpoint-00000999.safetensors: INVALID: the file name says step 999 but the manifest says step 3" "$work/out" "a renamed file"
contains "checkpoint-00000005.safetensors: INVALID: not a regular file: symbolic link" "$work/out" "a symlink"
contains "checkpoint-00000006.safetensors: INVALID: not a regular file: directory" "$work/out" "a directory"
contains "resume would load Fixtures/checkpoints/store-names/checkpoint-00000003.safetensors" "$work/out" "the valid one"

# Values that would trap a scheduler: exit 65 naming the file and the key, no signal.
for fixture in Fixtures/checkpoints/resume/*.safetensors; do
    rm -rf "$work/trap" && mkdir "$work/trap" && cp "$fixture" "$work/trap/checkpoint-00000003.safetensors"
    expect 0 "verify $fixture" "$anneal" checkpoint verify "$work/trap"
    expect 65 "train --resume from $fixture" "$anneal" train "$spec" --model seed3 --epochs 6 --checkpoint-dir "$work/trap" --resume
    contains "$work/trap/checkpoint-00000003.safetensors: manifest " "$work/err" "$fixture: the file is named"
done

# A save that fails (here: the file size limit) names the epoch being saved.
expect 1 "train with a failing save" bash -c 'trap "" XFSZ; ulimit -f 1; exec "$0" "$@"' "$anneal" train "$spec" --model seed3 --epochs 3 --checkpoint-dir "$work/full"
contains "anneal train: saving the checkpoint of epoch 1: " "$work/err" "the failed save's epoch"
# Scripts/torch_checkpoint.py (when a Python with torch is at hand: $PYTHON or
# python3): each bad input is one line naming the file, exit 65; export
# refuses what the Swift reader rejects, and both verifiers agree.
python=${PYTHON:-python3}
if "$python" -c 'import torch, safetensors, xxhash, numpy' 2>/dev/null; then
    for state in Fixtures/checkpoints/torch/*.pt; do
        expect 65 "torch_checkpoint.py export $state" "$python" Scripts/torch_checkpoint.py export "$state" -o "$work/t.safetensors"
        contains "torch_checkpoint.py: $state: " "$work/err" "export names $state"
        [ "$(wc -l <"$work/err")" -eq 1 ] && passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL: export $state: not one line"; }
    done
    for file in Fixtures/checkpoints/torch/*.safetensors Fixtures/checkpoints/empty.safetensors; do
        expect 65 "torch_checkpoint.py verify $file" "$python" Scripts/torch_checkpoint.py verify "$file"
        contains "torch_checkpoint.py: $file: " "$work/err" "verify names $file"
        expect 65 "anneal checkpoint verify $file" "$anneal" checkpoint verify "$file"
    done
else
    echo "cli: skipping the torch_checkpoint.py checks (no torch in $python; set PYTHON)"
fi
expect 0 "train --help" "$anneal" train --help
contains "; 1 a failure: " <(tr '\n' ' ' <"$work/out") "train --help documents exit 1"

# Plots of extreme rates (an overflowing span, subnormal steps) once trapped.
# anneal train --resume FILE.pt: a PyTorch run (Scripts/make_torch_fixtures.py: 5 epochs, torch.save'd as
# the tutorials do) continues with the learning rates PyTorch printed for epochs 6-8.
runs=Fixtures/torch/training
expect 0 "train --resume a PyTorch run" "$anneal" train $runs/seed1_adamw.json --model seed1 --epochs 8 --resume $runs/seed1_adamw.pt
holds "the resumed PyTorch run has PyTorch's learning rates" cmp -s <(sed 's/ | loss.*//' "$work/out") $runs/seed1_adamw.lr.txt
expect 0 "train --resume=FILE.pt" "$anneal" train $runs/seed1_adamw.json --model seed1 --epochs 6 --resume=$runs/seed1_adamw.pt
contains "Epoch 6: LR = 0.00531" "$work/out" "--resume=FILE.pt resumes"
sed 's/"AdamW"/"SGD"/' $runs/seed1_adamw.json >"$work/sgd.json"
expect 65 "train --resume FILE.pt with another optimizer" "$anneal" train "$work/sgd.json" --model seed1 --epochs 8 --resume $runs/seed1_adamw.pt
contains "the checkpoint's optimizer is AdamW, the live one SGD" "$work/err" "the optimizer mismatch names both sides"
expect 65 "train --resume FILE.pt with other schedulers" "$anneal" train "$spec" --model seed1 --epochs 8 --resume $runs/seed1_adamw.pt
contains "the file has 2 scheduler states, the live schedulers are [StepLR]" "$work/err" "the scheduler mismatch names both sides"
expect 65 "train --resume FILE.pt into another model" "$anneal" train $runs/seed1_adamw.json --model seed3 --epochs 8 --resume $runs/seed1_adamw.pt
contains "$runs/seed1_adamw.pt: " "$work/err" "the model mismatch names the file"
expect 65 "train --resume a state a checkpoint cannot hold" "$anneal" train $runs/seed1_adamw.json --model seed1 --epochs 8 --resume $runs/int64_buffer.pt
contains "num_batches_tracked" "$work/err" "the int64 buffer is named"
"$anneal" checkpoint convert $runs/official.pt "$work/official-keys.safetensors" --model-key nothing 2>/dev/null
holds "convert --model-key names the key to read" test ! -e "$work/official-keys.safetensors"
expect 64 "train --model-key without --resume FILE.pt" "$anneal" train "$spec" --model-key net
expect 65 "train --resume FILE.pt --model-key (a key the file lacks)" "$anneal" train $runs/seed1_adamw.json --model seed1 --epochs 8 --resume $runs/seed1_adamw.pt --model-key net
contains 'none of the keys "net"' "$work/err" "the missing key is named"
expect 0 "train --resume a run saved part by part" "$anneal" train $runs/seed1_adamw.json --model seed1 --epochs 8 \
    --resume $runs/seed1_adamw.model.pt --resume-optimizer $runs/seed1_adamw.optimizer.pt \
    --resume-scheduler $runs/seed1_adamw.scheduler0.pt --resume-scheduler $runs/seed1_adamw.scheduler1.pt --resume-epoch 5
holds "the run saved part by part has PyTorch's learning rates" cmp -s <(sed 's/ | loss.*//' "$work/out") $runs/seed1_adamw.lr.txt
expect 64 "--resume-optimizer without --resume-epoch" "$anneal" train $runs/seed1_adamw.json --model seed1 --epochs 8 \
    --resume $runs/seed1_adamw.model.pt --resume-optimizer $runs/seed1_adamw.optimizer.pt
expect 65 "--resume-scheduler for one of two schedulers" "$anneal" train $runs/seed1_adamw.json --model seed1 --epochs 8 \
    --resume $runs/seed1_adamw.model.pt --resume-optimizer $runs/seed1_adamw.optimizer.pt \
    --resume-scheduler $runs/seed1_adamw.scheduler0.pt --resume-epoch 5
expect 65 "train --resume a hostile file" "$anneal" train $runs/seed1_adamw.json --epochs 8 --resume Fixtures/torch/hostile_global.pt
expect 0 "train --resume FILE.pt at --epochs" "$anneal" train $runs/seed1_adamw.json --model seed1 --epochs 5 --resume $runs/seed1_adamw.pt
contains "already at --epochs 5; nothing to train" "$work/err" "nothing to train"
expect 64 "train --resume with --resume-from" "$anneal" train "$spec" --checkpoint-dir "$work/keep0" --resume --resume-from $runs/seed1_adamw.pt
# --save-torch: Anneal's torch.save files resume in Anneal as the run that never stopped (generator and all).
expect 0 "train --shuffle uninterrupted" "$anneal" train "$spec" --model seed3 --epochs 6 --shuffle
cp "$work/out" "$work/shuffled"
expect 0 "train --save-torch" "$anneal" train "$spec" --model seed3 --epochs 4 --shuffle --save-torch "$work/torch" --every 2
holds "--save-torch writes every checkpoint" test -s "$work/torch/checkpoint-00000002.pt" -a -s "$work/torch/checkpoint-00000004.pt"
expect 0 "train --resume its own torch.save file" "$anneal" train "$spec" --model seed3 --epochs 6 --shuffle --resume "$work/torch/checkpoint-00000004.pt"
holds "the resumed epochs equal the uninterrupted run's" cmp -s <(tail -2 "$work/shuffled") "$work/out"
expect 0 "checkpoint convert a --save-torch file" "$anneal" checkpoint convert "$work/torch/checkpoint-00000004.pt" "$work/from-torch.safetensors"
expect 0 "checkpoint inspect the converted file" "$anneal" checkpoint inspect "$work/from-torch.safetensors"
contains "step 4, epoch 4" "$work/out" "the counters survive"
contains "rng: xoshiro256**" "$work/out" "the generator survives"
# --resume checkpoint-N/: a real Hugging Face Trainer checkpoint (Scripts/hf_trainer_run.py) continues with
# the learning rates of the Trainer's own next checkpoints, and --save-torch writes the Trainer's layout.
hf=Fixtures/torch/huggingface
expect 0 "train --resume a Hugging Face checkpoint" "$anneal" train $hf/spec.json --model seed1 --epochs 5 --resume $hf/checkpoint-30 --save-torch "$work/hf"
holds "the resumed Trainer run has the Trainer's learning rates" cmp -s <(sed 's/ | loss.*//' "$work/out") $hf/lr.txt
cp "$work/out" "$work/hf-lines"
contains "rng_state.pth: not read" "$work/err" "what is not read is said"
for file in model.safetensors optimizer.pt scheduler.pt trainer_state.json; do
    holds "--save-torch writes checkpoint-50/$file" test -s "$work/hf/checkpoint-50/$file"
done
expect 0 "train --resume the Hugging Face checkpoint Anneal wrote" "$anneal" train $hf/spec.json --model seed1 --epochs 5 --resume "$work/hf/checkpoint-40"
holds "resuming Anneal's own Trainer checkpoint gives the same epoch 5" cmp -s <(tail -1 "$work/hf-lines") "$work/out"
expect 0 "checkpoint inspect the Trainer checkpoint's optimizer.pt" "$anneal" checkpoint inspect "$work/hf/checkpoint-50/optimizer.pt"
contains "'params': [3, 4, 5]" "$work/out" "the Trainer's second group (the biases)"
expect 65 "train --resume a Hugging Face checkpoint with other schedulers" "$anneal" train "$spec" --model seed1 --epochs 5 --resume $hf/checkpoint-30
cp -r $hf/checkpoint-30 "$work/mid-epoch"
sed 's/"epoch": 3.0/"epoch": 2.5/' $hf/checkpoint-30/trainer_state.json >"$work/mid-epoch/trainer_state.json"
expect 65 "train --resume a mid-epoch Hugging Face checkpoint" "$anneal" train $hf/spec.json --model seed1 --epochs 5 --resume "$work/mid-epoch"
contains "trainer_state.json: \"epoch\" is 2.5" "$work/err" "the mid-epoch checkpoint is named"
rm "$work/mid-epoch/model.safetensors"
expect 65 "train --resume a Hugging Face checkpoint without its model" "$anneal" train $hf/spec.json --model seed1 --epochs 5 --resume "$work/mid-epoch"
# convert .pt <-> .safetensors as the Python converter does (Scripts/make_torch_fixtures.py wrote both).
for name in tutorial official model_only; do
    expect 0 "checkpoint convert $name.pt to .safetensors" "$anneal" checkpoint convert $runs/$name.pt "$work/$name.safetensors"
    holds "$name.pt converts to the Python converter's bytes" cmp -s "$work/$name.safetensors" $runs/$name.safetensors
    expect 0 "checkpoint convert $name.safetensors to .pt" "$anneal" checkpoint convert $runs/$name.safetensors "$work/$name.pt"
done
expect 65 "checkpoint convert an untyped LambdaLR state" "$anneal" checkpoint convert $runs/lambda_untyped.pt "$work/x.safetensors"
contains "name it (--scheduler-type)" "$work/err" "the ambiguity asks for a type"
expect 0 "checkpoint convert --scheduler-type" "$anneal" checkpoint convert $runs/lambda_untyped.pt "$work/x.safetensors" --scheduler-type LambdaLR
expect 64 "checkpoint convert --optimizer-type for .pt to .pt" "$anneal" checkpoint convert $runs/tutorial.pt "$work/x.pt" --optimizer-type SGD
for file in Fixtures/fuzz/spec/plot-*.json; do
    expect 0 "plot $file" "$anneal" plot "$file" -o "$work/extreme.svg"
    expect 0 "plot --log-y --momentum --ascii $file" "$anneal" plot "$file" --log-y --momentum --ascii -o "$work/extreme.svg"
done

# torch.save files (.pt): inspect and verify read them; hostile or damaged ones exit 65 naming the file.
expect 0 "checkpoint inspect a torch.save file" "$anneal" checkpoint inspect Fixtures/torch/training_state.pt
contains "'1.num_batches_tracked': " "$work/out" "inspect shows the model's buffers"
contains "torch.Tensor int64 []" "$work/out" "inspect shows num_batches_tracked's dtype and shape"
expect 0 "checkpoint inspect --format json" "$anneal" checkpoint inspect --format json Fixtures/torch/views.pt
contains '"stride": [1, 6]' "$work/out" "the JSON gives strides"
expect 0 "checkpoint inspect _rebuild_tensor_v3 tensors" "$anneal" checkpoint inspect Fixtures/torch/dtypes_v3.pt
contains "'uint64': torch.Tensor uint64 [4], 32 bytes, storage '2' [0, 1, 9223372036854775808, 18446744073709551615]" "$work/out" "inspect decodes uint64"
contains "'complex32': torch.Tensor complex32 [4], 16 bytes, storage '3' [(1.0+2.0j), (-0.0-1.0j), (inf+65504.0j), (nan+5.9604645e-08j)]" "$work/out" "inspect decodes complex32"
expect 0 "checkpoint verify a torch.save file" "$anneal" checkpoint verify Fixtures/torch/optimizer_adamw.pt
contains "valid (torch.save" "$work/out" "verify says valid"
expect 64 "--format json of a safetensors checkpoint" "$anneal" checkpoint inspect --format json Fixtures/checkpoints/valid.safetensors
for file in Fixtures/torch/hostile_*.pt Fixtures/torch/truncated.pt Fixtures/torch/crc_mismatch.pt \
    Fixtures/torch/duplicate_name.pt Fixtures/torch/missing_*.pt Fixtures/torch/unsupported_version.pt \
    Fixtures/torch/torchscript.pt Fixtures/torch/legacy.pt Fixtures/torch/zip_overlap.pt \
    Fixtures/torch/zip_shared_local_header.pt Fixtures/torch/zip_*_out_of_file.pt Fixtures/torch/zip_local_*.pt \
    Fixtures/torch/zip_encrypted.pt Fixtures/torch/zip_method_bzip2.pt Fixtures/torch/zip_count_*.pt \
    Fixtures/torch/zip_comment_signature.pt Fixtures/torch/zip_two_end_records.pt Fixtures/torch/zip_zip64_short_extra.pt \
    Fixtures/torch/zip_deflate_*.pt; do
    expect 65 "checkpoint inspect $file" "$anneal" checkpoint inspect "$file"
    contains "anneal checkpoint inspect: $file: " "$work/err" "inspect names $file"
    expect 65 "checkpoint verify $file" "$anneal" checkpoint verify "$file"
    expect 65 "checkpoint convert $file" "$anneal" checkpoint convert "$file" "$work/converted.pt"
    contains "anneal checkpoint convert: $file: " "$work/err" "convert names $file"
    holds "convert of $file leaves no output" test ! -e "$work/converted.pt"
done
# convert a.pt b.pt: the copy reads back as the same tree (Scripts/torch_roundtrip.py checks it in torch).
for file in Fixtures/torch/training_state.pt Fixtures/torch/views.pt Fixtures/torch/zipfile_deflated.pt \
    Fixtures/torch/dtypes_v3.pt Fixtures/torch/v3_forms.pt Fixtures/torch/zip_zip64_end_record.pt; do
    expect 0 "checkpoint convert $file" "$anneal" checkpoint convert "$file" "$work/converted.pt"
    "$anneal" checkpoint inspect --format json "$file" | sed 's/.*"root"://' >"$work/a.json"
    "$anneal" checkpoint inspect --format json "$work/converted.pt" | sed 's/.*"root"://' >"$work/b.json"
    holds "convert of $file: inspect --format json shows the same tree" cmp -s "$work/a.json" "$work/b.json"
done
expect 64 "checkpoint convert to an unknown extension" "$anneal" checkpoint convert Fixtures/torch/views.pt "$work/x.txt"
contains 'the output' "$work/err" "the bad output is named"
expect 65 "checkpoint convert into a missing directory" "$anneal" checkpoint convert Fixtures/torch/views.pt "$work/no/such/dir/x.pt"
contains "anneal checkpoint convert: $work/no/such/dir/x.pt: cannot write the file" "$work/err" "the unwritable output is named"
expect 65 "checkpoint inspect refuses os.system by name" "$anneal" checkpoint inspect Fixtures/torch/hostile_global.pt
contains "global posix.system is not allowed" "$work/err" "the refused global is named"

# The fuzz harness (without libFuzzer) over its seeds and every input a
# fuzzer found (Fixtures/fuzz/TARGET/): no signal, exit 0.
if [ -x "$fuzz" ]; then
    shopt -s nullglob globstar
    expect 0 "fuzz spec over the goldens and fixtures" "$fuzz" spec Golden/**/*.json Fixtures/malformed/*.json \
        Fixtures/limits/*.json Fixtures/compare/*.json Fixtures/fuzz/spec/*
    expect 0 "fuzz checkpoint over the fixtures" "$fuzz" checkpoint Fixtures/checkpoints/*.safetensors Fixtures/fuzz/checkpoint/*
    expect 0 "fuzz torch over the torch.save fixtures and their pickles" "$fuzz" torch Fixtures/torch/*.pt \
        Fixtures/torch/training/*.pt Fixtures/torch/huggingface/checkpoint-30/*.pt Fixtures/torch/pickles/*.pkl Fixtures/fuzz/torch/*
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
