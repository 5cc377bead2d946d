# Anneal — build, test and conformance on a fresh Debian machine with only
# the Swift toolchain: the targets install what the build needs themselves.

SHELL      := /bin/bash
SWIFT      ?= swift
PYTHON     ?= python3
VENV       := .venv
VENV_PY    := $(VENV)/bin/python
RELEASE    := $(SWIFT) build -c release

.PHONY: all deps deps-plot build test conformance goldens regenerate-tests check-generated docs bench bench-schedulers bench-conformance bench-memory bench-optim bench-checkpoint bench-torch-files test-torch-checkpoint test-torch-files interop fuzz clean

all: build

# json-c and xxHash (and pkg-config, which SwiftPM uses to find them) from
# Debian's packages: the CJSONC and CCheckpointSupport modules.
deps:
	@if ! pkg-config --exists json-c libxxhash zlib 2>/dev/null; then \
	  echo "Installing libjson-c-dev, libxxhash-dev, zlib1g-dev and pkg-config (needed by the CJSONC, CCheckpointSupport and CZlib modules)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libjson-c-dev libxxhash-dev zlib1g-dev pkg-config >/dev/null; \
	fi

# rsvg-convert (Debian's librsvg2-bin): the plot tests convert every SVG they draw.
deps-plot:
	@if ! command -v rsvg-convert >/dev/null 2>&1; then \
	  echo "Installing librsvg2-bin (rsvg-convert, needed by the plot tests)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq librsvg2-bin >/dev/null; \
	fi

build: deps
	$(SWIFT) build

# Unit tests, the golden replay (one case per golden) and the command line.
test: deps deps-plot
	$(SWIFT) test
	$(SWIFT) build --product anneal
	$(SWIFT) build --product anneal-fuzz
	Tests/cli/check.sh .build/debug/anneal .build/debug/anneal-fuzz

# The main job: replay every golden in Golden/ with the release build.
conformance: deps
	$(RELEASE) --product anneal
	.build/release/anneal conformance Golden

# A virtual environment with PyTorch 2.13.0 (CPU), for the generator and benchmarks.
# With transformers 5.23.0 and timm 1.0.31 beside it, held to that torch by
# the constraints file (timm without its dependencies: see
# Scripts/requirements-families.txt).
$(VENV_PY): Scripts/requirements.txt Scripts/requirements-families.txt Scripts/constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV_PY) -m pip install -q -c Scripts/constraints.txt -r Scripts/requirements.txt
	$(VENV_PY) -m pip install -q -c Scripts/constraints.txt -r Scripts/requirements-families.txt
	$(VENV_PY) -m pip install -q --no-deps timm==1.0.31
	$(VENV_PY) -c 'import torch; assert torch.__version__ == "2.13.0+cpu", torch.__version__'
	touch $(VENV_PY)

# Regenerate the goldens from the specs (PyTorch) and the documents.
goldens: $(VENV_PY)
	$(VENV_PY) Scripts/make_specs.py
	$(VENV_PY) Scripts/make_specs_transformers.py
	$(VENV_PY) Scripts/make_specs_timm.py
	$(VENV_PY) Scripts/goldens.py
	$(VENV_PY) Scripts/document_goldens.py

# The generated test sources and their generators (script=output, relative
# to Tests/). Regenerate after changing a generator; `swift test` checks each
# output's fingerprint of its generator (GeneratedSourcesTests), which needs
# no Python, and check-generated compares whole files, which needs torch.
GENERATED_TESTS := \
  AnnealPythonTests/make_expression_cases.py=AnnealPythonTests/ExpressionCases.generated.swift \
  AnnealTensorTests/make_reference.py=AnnealTensorTests/ReferenceCases.generated.swift \
  AnnealTrainingTests/make_training_reference.py=AnnealTrainingTests/TrainingReference.generated.swift
regenerate-tests: $(VENV_PY)
	@for pair in $(GENERATED_TESTS); do \
	  echo "Tests/$${pair%%=*} -> Tests/$${pair#*=}"; \
	  $(VENV_PY) Tests/$${pair%%=*} Tests/$${pair#*=} >/dev/null || exit 1; \
	done

check-generated: $(VENV_PY)
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; stale=0; \
	for pair in $(GENERATED_TESTS); do \
	  script=Tests/$${pair%%=*}; output=Tests/$${pair#*=}; \
	  $(VENV_PY) $$script "$$tmp/fresh.swift" >/dev/null || exit 1; \
	  if cmp -s "$$tmp/fresh.swift" $$output; then echo "up to date: $$output"; \
	  else echo "STALE: $$output differs from what $$script generates now (make regenerate-tests)"; \
	    diff "$$tmp/fresh.swift" $$output | head -n 6; stale=1; fi; \
	done; \
	[ $$stale = 0 ] || { echo "check-generated: stale generated test sources"; exit 1; }

# DocC documentation for every library product but AnnealSpec, into
# .build/docs/MODULE (swift-docc-plugin); open .build/docs/MODULE/index.html
# through a web server, or pass DOCC_FLAGS=--transform-for-static-hosting.
DOCS_TARGETS := Anneal AnnealTensor AnnealOptim AnnealCheckpoint AnnealPickle AnnealTorch AnnealSpec AnnealConformance
DOCC_FLAGS   ?=
docs: deps
	@mkdir -p .build/docs; for target in $(DOCS_TARGETS); do \
	  echo "docs: $$target"; \
	  $(SWIFT) package --allow-writing-to-directory .build/docs generate-documentation --target $$target \
	    --output-path .build/docs/$$target $(DOCC_FLAGS) || exit 1; \
	done

bench: bench-schedulers bench-conformance bench-memory bench-optim bench-checkpoint bench-torch-files

# Nanoseconds per step() for every scheduler, beside PyTorch's in the same run.
bench-schedulers: deps $(VENV_PY)
	$(RELEASE) --product anneal-bench
	$(VENV_PY) Scripts/bench_schedulers.py --anneal .build/release/anneal-bench

# The whole corpus replayed by Anneal, beside PyTorch generating it.
bench-conformance: deps $(VENV_PY)
	$(RELEASE) --product anneal
	$(VENV_PY) Scripts/bench_conformance.py --anneal .build/release/anneal

# Peak memory of run and plot over 10^7 steps and of diff over a ~117 MB trace.
bench-memory: deps
	$(RELEASE) --product anneal
	$(PYTHON) Scripts/bench_memory.py --anneal .build/release/anneal

# One step of AdamW, Adam and SGD(momentum) over 10 million float32 parameters,
# beside PyTorch 2.13 (foreach=False, foreach=True, fused=True) in the same run,
# the copy bandwidth bound, and a bit-for-bit check against foreach=False. On
# x86-64 the measured build targets this CPU's level: x86-64-v4 (AVX-512) or
# x86-64-v3 (AVX2 and FMA). PyTorch's arithmetic fuses multiply-adds, which the
# default target can only do by a libm call per element; the default build is
# timed beside it.
CPU_FLAGS  := $(shell grep -m1 '^flags' /proc/cpuinfo 2>/dev/null)
CPU_LEVEL  := $(if $(and $(findstring avx512f,$(CPU_FLAGS)),$(findstring avx512bw,$(CPU_FLAGS)),$(findstring avx512dq,$(CPU_FLAGS)),$(findstring avx512vl,$(CPU_FLAGS))),x86-64-v4,$(if $(and $(findstring avx2,$(CPU_FLAGS)),$(findstring fma,$(CPU_FLAGS))),x86-64-v3))
OPTIM_BENCH_FLAGS := $(if $(and $(filter x86_64,$(shell uname -m)),$(CPU_LEVEL)),-Xswiftc -Xcc -Xswiftc -march=$(CPU_LEVEL))
bench-optim: deps $(VENV_PY)
	$(RELEASE) --product anneal-optim-bench
	$(RELEASE) --product anneal-optim-bench --scratch-path .build/optim-bench $(OPTIM_BENCH_FLAGS)
	$(VENV_PY) Scripts/bench_optim.py --anneal .build/optim-bench/release/anneal-optim-bench \
	  --baseline .build/release/anneal-optim-bench

# Checkpoint save (with fsync) and verified load of an AdamW state over 10
# million parameters, beside Python safetensors and torch.save on the same
# bytes, and the disk's sequential bandwidth.
bench-checkpoint: deps $(VENV_PY)
	$(RELEASE) --product anneal-checkpoint-bench
	$(VENV_PY) Scripts/bench_checkpoint.py --anneal .build/release/anneal-checkpoint-bench

# Scripts/torch_checkpoint.py: export -> import round trips in PyTorch, each
# exported file verified by `anneal checkpoint verify`.
# torch.save files: Anneal's reader and writer beside torch.load/torch.save, same file, same run.
bench-torch-files: deps $(VENV_PY)
	$(RELEASE) --product anneal-torch-bench
	$(VENV_PY) Scripts/bench_torch_files.py --anneal .build/release/anneal-torch-bench

# anneal checkpoint convert a.pt b.pt over the fixtures and random trees, checked in torch.
test-torch-files: deps $(VENV_PY)
	$(SWIFT) build --product anneal
	$(VENV_PY) Scripts/torch_roundtrip.py --anneal .build/debug/anneal
	$(VENV_PY) Scripts/torch_training_state.py --anneal .build/debug/anneal

test-torch-checkpoint: deps $(VENV_PY)
	$(SWIFT) build --product anneal
	$(VENV_PY) Scripts/torch_checkpoint.py selftest --anneal .build/debug/anneal

# Train in PyTorch, export, resume in Anneal, compare with PyTorch's run that
# never stopped (Scripts/interop.py). Needs torch, so not part of CI.
interop: deps $(VENV_PY)
	$(SWIFT) build --product anneal
	$(VENV_PY) Scripts/interop.py --anneal .build/debug/anneal
	$(VENV_PY) Scripts/torch_roundtrip.py --anneal .build/debug/anneal

# libFuzzer over the spec reader and runner (spec), the checkpoint reader
# (checkpoint), scheduler state dicts (state) and the torch.save reader
# (torch: archives and bare pickles), seeded from Golden/ and
# Fixtures/: `make fuzz FUZZ_TARGET=spec FUZZ_SECONDS=600` (FUZZ_TARGET=all runs
# each in turn). New inputs go to .build-fuzz/corpus/TARGET, crashes to
# .build-fuzz/crashes/; a crash's file replays with
# `.build/debug/anneal-fuzz TARGET FILE` and belongs in Fixtures/fuzz/TARGET/,
# which `make test` replays.
FUZZ_TARGET  ?= all
FUZZ_SECONDS ?= 60
FUZZ_BIN     := .build-fuzz/release/anneal-fuzz
FUZZ_SEEDS_spec       := Golden Fixtures/malformed Fixtures/limits Fixtures/compare Fixtures/fuzz/spec
FUZZ_SEEDS_checkpoint := Fixtures/checkpoints Fixtures/fuzz/checkpoint
FUZZ_SEEDS_state      := .build-fuzz/seeds/state Fixtures/fuzz/state
FUZZ_SEEDS_torch      := Fixtures/torch Fixtures/torch/training Fixtures/torch/huggingface/checkpoint-30 Fixtures/torch/pickles Fixtures/fuzz/torch
fuzz: deps
	$(RELEASE) --product anneal-fuzz --scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -DANNEAL_LIBFUZZER
	$(SWIFT) build --product anneal-fuzz
	mkdir -p .build-fuzz/seeds
	.build/debug/anneal-fuzz --state-seeds Golden .build-fuzz/seeds/state
	@for target in $(if $(filter all,$(FUZZ_TARGET)),spec checkpoint state torch,$(FUZZ_TARGET)); do \
	  dict=Fixtures/fuzz/trace.dict; \
	  case $$target in spec) seeds="$(FUZZ_SEEDS_spec)";; checkpoint) seeds="$(FUZZ_SEEDS_checkpoint)";; \
	    state) seeds="$(FUZZ_SEEDS_state)";; torch) seeds="$(FUZZ_SEEDS_torch)"; dict=Fixtures/fuzz/torch.dict;; \
	    *) echo "unknown FUZZ_TARGET $$target (spec, checkpoint, state, torch, all)"; exit 64;; esac; \
	  mkdir -p .build-fuzz/corpus/$$target .build-fuzz/crashes; \
	  echo "fuzz $$target for $(FUZZ_SECONDS) s"; \
	  ANNEAL_FUZZ_TARGET=$$target $(FUZZ_BIN) .build-fuzz/corpus/$$target $$(for d in $$seeds; do [ -d $$d ] && echo $$d; done) \
	    -dict=$$dict -max_len=16384 -timeout=10 -rss_limit_mb=2048 -max_total_time=$(FUZZ_SECONDS) \
	    -artifact_prefix=.build-fuzz/crashes/$$target- -print_final_stats=1 2>&1 | \
	    grep -E '^(stat::number_of_executed_units|stat::new_units_added|==[0-9]+==ERROR|SUMMARY)|Test unit written|Done [0-9]+ runs'; \
	  status=$${PIPESTATUS[0]}; [ $$status -eq 0 ] || { echo "fuzz $$target: libFuzzer exited with $$status"; exit 1; }; \
	done

clean:
	rm -rf .build .build-fuzz
