import AnnealSpec

/// The step each record is drawn at, read off a script as the records
/// arrive: record 0 is step 0, each repetition of a `step` or
/// `scheduler_step` advances it; records past the script's (a golden's)
/// advance one step each. Counts come from the validated spec and are
/// counted down, never materialized as ranges.
struct RecordStepCursor {
    private let script: [Op]
    private var opIndex = -1
    private var remaining = 0
    private var advances = false
    private var step = 0
    private var started = false
    /// Whether the script's records are all used up.
    private(set) var pastScript = false

    init(script: [Op]) { self.script = script }

    /// The step of the next record.
    mutating func next() -> Int {
        if !started {
            started = true
            return 0
        }
        while remaining == 0 && !pastScript {
            opIndex += 1
            if opIndex < script.count {
                remaining = max(0, script[opIndex].recordCount)
                advances = [.step, .schedulerStep, .stepUpdate].contains(script[opIndex].kind)
            } else {
                pastScript = true
            }
        }
        if pastScript {
            step &+= 1
        } else {
            remaining -= 1
            if advances { step &+= 1 }
        }
        return step
    }

    /// The step of record `index` when the script yields that record, else
    /// one past the step of the script's last record.
    static func step(ofRecord index: Int, script: [Op]) -> Int {
        var record = 0
        var step = 0
        if index == 0 { return 0 }
        for op in script {
            let count = max(0, op.recordCount)
            let advances = [.step, .schedulerStep, .stepUpdate].contains(op.kind)
            if index - record <= count {
                return advances ? step &+ (index - record) : step
            }
            record += count
            if advances { step &+= count }
        }
        return step &+ 1
    }
}
