// swift-tools-version:6.0
import PackageDescription

// Dependencies point one way, toward the leaves (each line: a module → what it imports):
//
//   anneal (CLI)      → AnnealConformance, AnnealPlot, AnnealTraining, AnnealTorch, AnnealCheckpoint, AnnealPickle, AnnealSpec, Anneal
//   AnnealTorch       → AnnealPickle, AnnealCheckpoint    (torch.save files on disk; training states to and from them)
//   AnnealPlot        → AnnealConformance, AnnealSpec    (charts of traces and their divergences)
//   AnnealTraining    → AnnealSpec, AnnealCheckpoint      (`anneal train`)
//   AnnealConformance → AnnealSpec                        (comparing traces, replaying goldens)
//   AnnealSpec        → AnnealOptim, Anneal               (the trace format's specs, the runner)
//   AnnealCheckpoint  → AnnealOptim, Anneal, AnnealTensor (the checkpoint store)
//   AnnealOptim       → Anneal, AnnealTensor              (tensor optimizers)
//   Anneal            → AnnealJSON, AnnealPython          (schedulers, param groups)
//   AnnealJSON        → AnnealPython, CJSONC              (JSON over json-c; Python's float repr)
//   AnnealPickle      → AnnealJSON                        (torch.save files; zlib, CCRC32)
//   AnnealTensor, AnnealPython                            (leaves)
let package = Package(
    name: "Anneal",
    products: [
        .library(name: "Anneal", targets: ["Anneal"]),
        .library(name: "AnnealTensor", targets: ["AnnealTensor"]),
        .library(name: "AnnealOptim", targets: ["AnnealOptim"]),
        .library(name: "AnnealCheckpoint", targets: ["AnnealCheckpoint"]),
        .library(name: "AnnealPickle", targets: ["AnnealPickle"]),
        .library(name: "AnnealTorch", targets: ["AnnealTorch"]),
        .library(name: "AnnealSpec", targets: ["AnnealSpec"]),
        .library(name: "AnnealConformance", targets: ["AnnealConformance"]),
        .executable(name: "anneal", targets: ["anneal"]),
        .executable(name: "anneal-bench", targets: ["anneal-bench"]),
        .executable(name: "anneal-optim-bench", targets: ["anneal-optim-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // AnnealPickle: Python ints of any size.
        // `make docs` only: the DocC catalogs in Sources/*/*.docc.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CJSONC",
            pkgConfig: "json-c",
            providers: [.apt(["libjson-c-dev"])]
        ),
        .target(name: "AnnealJSON", dependencies: ["CJSONC", "AnnealPython"]),
        .target(name: "AnnealPython"),
        .target(name: "Anneal", dependencies: ["AnnealJSON", "AnnealPython"]),
        .target(name: "AnnealTensor"),
        // zlib (Debian's zlib1g-dev): inflating deflated zip entries and CRC-32.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // torch.save files: the zip container, the weights_only unpickler, tensors. A leaf: no scheduler code.
        .target(
            name: "AnnealPickle", dependencies: ["AnnealJSON", "CZlib", "CCRC32"]),
        // CRC-32 by carry-less multiplication (x86-64 PCLMULQDQ, chosen at run time).
        .target(name: "CCRC32"),
        // What Swift cannot say in the optimizers' loops: a prefetch, and x86's rsqrtps.
        .target(name: "COptimSupport"),
        .target(name: "AnnealOptim", dependencies: ["Anneal", "AnnealTensor", "COptimSupport"]),
        // AnnealCheckpoint's C pieces: XXH3-128 from the reference xxHash library (Debian's
        // libxxhash-dev), and a hint to start writeback early (sync_file_range).
        .systemLibrary(name: "CCheckpointSupport", pkgConfig: "libxxhash", providers: [.apt(["libxxhash-dev"])]),
        .target(name: "AnnealCheckpoint", dependencies: ["Anneal", "AnnealTensor", "AnnealOptim", "CCheckpointSupport"]),
        // torch.save files written to disk atomically, and converted to and from Anneal checkpoints.
        .target(
            name: "AnnealTorch",
            dependencies: ["AnnealPickle", "AnnealCheckpoint", "Anneal", "AnnealTensor", "AnnealOptim", "AnnealJSON"]),
        // The trace format's spec model, the scheduler factory and the runner.
        .target(name: "AnnealSpec", dependencies: ["Anneal", "AnnealJSON", "AnnealPython", "AnnealOptim"]),
        // Comparing traces and replaying goldens.
        .target(name: "AnnealConformance", dependencies: ["AnnealSpec", "Anneal", "AnnealJSON"]),
        .target(name: "AnnealPlot", dependencies: ["AnnealSpec", "AnnealConformance"]),
        .target(name: "AnnealTraining", dependencies: ["AnnealSpec", "AnnealOptim", "AnnealTensor", "AnnealCheckpoint"]),
        .executableTarget(
            name: "anneal",
            dependencies: [
                "AnnealConformance",
                "AnnealPlot",
                "AnnealTraining",
                "AnnealCheckpoint",
                "AnnealPickle",
                "AnnealTorch",
                "AnnealSpec",
                "Anneal",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Benchmarks: `make bench-schedulers`. The allocation counter is linked
        // into the benchmark only.
        .target(name: "CAllocationCounter"),
        .executableTarget(name: "anneal-bench", dependencies: ["AnnealSpec", "CAllocationCounter"]),
        // `make bench-conformance`: json-c's bare parse of the corpus, the replay's floor.
        .executableTarget(name: "anneal-jsonc-parse", dependencies: ["CJSONC"]),
        // `make bench-optim`: one optimizer step over 10M float32 parameters.
        .executableTarget(name: "anneal-optim-bench", dependencies: ["AnnealOptim"]),
        // `make bench-checkpoint`, and the child the checkpoint crash test kills.
        .executableTarget(name: "anneal-checkpoint-bench", dependencies: ["AnnealCheckpoint", "AnnealOptim", "AnnealTraining"]),
        .executableTarget(name: "anneal-checkpoint-crash-child", dependencies: ["AnnealCheckpoint"]),
        .executableTarget(name: "anneal-torch-bench", dependencies: ["AnnealPickle", "AnnealTorch", "AnnealJSON"]),
        // `make fuzz`: libFuzzer over the spec reader and runner, the checkpoint
        // reader and scheduler state dicts; the normal build replays files.
        .executableTarget(
            name: "anneal-fuzz",
            dependencies: ["AnnealConformance", "AnnealCheckpoint", "AnnealPickle", "AnnealTorch", "AnnealPlot", "AnnealSpec", "Anneal"]),
        .testTarget(name: "AnnealJSONTests", dependencies: ["AnnealJSON", "AnnealPython"]),
        .testTarget(
            name: "AnnealPythonTests", dependencies: ["AnnealPython"], exclude: ["make_expression_cases.py"]),
        .testTarget(name: "AnnealTests", dependencies: ["Anneal"]),
        .testTarget(name: "AnnealTensorTests", dependencies: ["AnnealTensor"], exclude: ["make_reference.py"]),
        .testTarget(name: "AnnealOptimTests", dependencies: ["AnnealOptim"]),
        .testTarget(name: "AnnealConformanceTests", dependencies: ["AnnealConformance", "AnnealSpec"]),
        // Uses only the public API of the Anneal and AnnealSpec products, as a user would.
        .testTarget(name: "AnnealExtensionTests", dependencies: ["Anneal", "AnnealSpec"]),
        .testTarget(name: "AnnealPlotTests", dependencies: ["AnnealPlot", "AnnealSpec"]),
        .testTarget(
            name: "AnnealCheckpointTests", dependencies: ["AnnealCheckpoint", "Anneal", "AnnealJSON", "AnnealTensor"]),
        .testTarget(name: "AnnealPickleTests", dependencies: ["AnnealPickle", "AnnealJSON", "CZlib"]),
        .testTarget(name: "AnnealTorchTests", dependencies: ["AnnealTorch", "AnnealCheckpoint", "AnnealPickle", "AnnealJSON"]),
        .testTarget(
            name: "AnnealTrainingTests", dependencies: ["AnnealTraining", "AnnealSpec"], exclude: ["make_training_reference.py"]),
    ]
)
