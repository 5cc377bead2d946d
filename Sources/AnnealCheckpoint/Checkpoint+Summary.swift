import AnnealJSON

extension Checkpoint {
    /// A readable summary, as `anneal checkpoint inspect` prints it: the
    /// counters, the data size, the optimizer's groups and state keys,
    /// each scheduler's state, the generator, the user metadata, and every
    /// tensor with its dtype, shape and size.
    ///
    /// ```text
    /// run/checkpoint-00000042.safetensors: Anneal checkpoint, format version 1, verified
    ///   step 42, epoch 3
    ///   data: 4,612 bytes in 8 tensors, each tensor's XXH3-128 verified
    ///   model: 4 parameters, 385 elements
    ///   optimizer: AdamW, 1 param group
    ///     group 0: 4 parameters, lr 0.001, amsgrad false, betas [0.9, 0.999], ...
    ///     state: 4 parameters with exp_avg, exp_avg_sq, step
    ///   schedulers: 1
    ///     0 StepLR: last_epoch 3, _last_lr [0.001]; base_lrs [0.001], gamma 0.1, ...
    ///   rng: xoshiro256** 4f0c… 9a11… 03b2… 77de…
    ///   metadata: {"run": "demo"}
    ///   tensors:
    ///     model.0.bias           F32  [32]     128 B
    ///     ...
    /// ```
    public func summary() -> String {
        var lines: [String] = []
        let manifest = self.manifest
        lines.append("\(source): Anneal checkpoint, format version \(CheckpointManifest.version)\(data == nil ? "" : ", verified")")
        lines.append("  step \(manifest.step), epoch \(manifest.epoch)")
        let table = manifest.tensorTable
        let totalBytes = table.reduce(0) { $0 + $1.shape.reduce(1, *) * 4 }
        lines.append(
            "  data: \(grouped(totalBytes)) bytes in \(table.count) tensor\(table.count == 1 ? "" : "s")"
                + (data == nil ? "" : ", each tensor's XXH3-128 verified"))
        let elements = manifest.parameters.reduce(0) { $0 + $1.shape.reduce(1, *) }
        lines.append("  model: \(manifest.parameters.count) parameter\(manifest.parameters.count == 1 ? "" : "s"), \(grouped(elements)) elements")
        if let optimizer = manifest.optimizer {
            let groups = optimizer.paramGroups.count
            lines.append("  optimizer: \(optimizer.type), \(groups) param group\(groups == 1 ? "" : "s")")
            for (index, group) in optimizer.paramGroups.enumerated() {
                let params = group["params"]?.arrayValue?.count ?? 0
                var fields: [String] = []
                if let lr = group["lr"] { fields.append("lr \(lr.serialized())") }
                for (key, value) in group.objectValue ?? [:] where key != "params" && key != "lr" {
                    fields.append("\(key) \(value.serialized())")
                }
                lines.append("    group \(index): \(params) parameter\(params == 1 ? "" : "s"), " + fields.joined(separator: ", "))
            }
            var keys: Set<String> = []
            for entry in optimizer.state {
                keys.formUnion(entry.tensorShapes.keys)
                keys.formUnion(entry.scalars.keys)
            }
            lines.append(
                optimizer.state.isEmpty
                    ? "    state: none (no step taken)"
                    : "    state: \(optimizer.state.count) parameter\(optimizer.state.count == 1 ? "" : "s") with \(keys.sorted().joined(separator: ", "))")
        } else {
            lines.append("  optimizer: none")
        }
        lines.append("  schedulers: \(manifest.schedulers.count)")
        for (index, scheduler) in manifest.schedulers.enumerated() {
            lines.append("    \(index) \(scheduler.type): \(schedulerSummary(scheduler.state))")
        }
        if let rng = manifest.rng {
            lines.append("  rng: \(rng.algorithm) " + rng.state.map(hexWord).joined(separator: " "))
        } else {
            lines.append("  rng: none")
        }
        lines.append("  metadata: " + (manifest.metadata.isEmpty ? "none" : JSONValue.object(manifest.metadata).serialized()))
        lines.append("  tensors:")
        let nameWidth = min(60, table.map(\.name.count).max() ?? 0)
        let shapeWidth = table.map { "\($0.shape)".count }.max() ?? 0
        for (name, shape) in table {
            let bytes = shape.reduce(1, *) * 4
            lines.append(
                "    " + padded(name, nameWidth) + "  F32  " + padded("\(shape)", shapeWidth) + "  " + grouped(bytes) + " B")
        }
        return lines.joined(separator: "\n")
    }
}

/// A scheduler's `stateDict()` on one line: the counters first, then the
/// other keys, cut at 240 characters.
func schedulerSummary(_ state: JSONValue) -> String {
    guard case .object(let object) = state else { return state.serialized() }
    let first = ["last_epoch", "_last_lr"].filter { object[$0] != nil }
    var parts = first.map { "\($0) \(object[$0]!.serialized())" }
    let rest = object.filter { !first.contains($0.key) }.map { "\($0.key) \($0.value.serialized())" }
    var text = parts.joined(separator: ", ")
    if !rest.isEmpty {
        parts = rest
        text += (text.isEmpty ? "" : "; ") + parts.joined(separator: ", ")
    }
    return text.count > 240 ? String(text.prefix(239)) + "…" : text
}

/// `1,234,567`.
func grouped(_ number: Int) -> String {
    let digits = String(number.magnitude)
    var out = ""
    for (index, character) in digits.enumerated() {
        if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
        out.append(character)
    }
    return (number < 0 ? "-" : "") + out
}

/// `text` padded with spaces to `width` characters.
func padded(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
}
