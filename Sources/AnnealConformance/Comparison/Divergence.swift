import AnnealSpec
import AnnealJSON

/// One place where a candidate differs from its golden, as the comparison
/// finds it (which is what makes these: their initializer is internal).
public struct Divergence: Sendable, Hashable {
    /// What kind of difference this is.
    public enum Kind: String, Sendable, Hashable {
        /// Two numbers farther apart than the tolerance (or not comparable:
        /// NaN against a number, an infinity against anything else).
        case number
        /// Two values of the same kind that must be equal exactly and are
        /// not: two integers, strings or booleans.
        case value
        /// Values of different kinds (e.g. a number and a string, a boolean
        /// and an integer). An integer and a float are *not* of different
        /// kinds here; they compare as numbers.
        case type
        /// A key of the golden's object is missing from the candidate's.
        case missingKey = "missing_key"
        /// The candidate's object has a key the golden's lacks.
        case unexpectedKey = "unexpected_key"
        /// Two arrays of different lengths (their common prefix is still
        /// compared element by element).
        case length
        /// The traces have different numbers of records (their common
        /// prefix is still compared record by record).
        case recordCount = "record_count"
        /// Two `error` objects (a record's, or the file's construction
        /// error) with different exception types.
        case errorType = "error_type"
    }

    /// The record's index in `trace`, or -1 for something at the top level
    /// of the file (the construction `error`, the record count).
    public var recordIndex: Int

    /// The script op that produced the record: `"construction"` for record
    /// 0, then the op name (`"step"`, `"set_lr"`, ...); `nil` at the top
    /// level or when the golden's script does not say.
    public var op: String?

    /// The key path inside the record, e.g. `lr[1]`,
    /// `state_dict._schedulers[0].base_lrs[2]`, `params[0][1][5]`; a key that
    /// is not an identifier is written `["key"]`. At the top level: `error`,
    /// `trace`.
    public var path: String

    /// What the golden holds there; `nil` when the golden has nothing there
    /// (an unexpected key).
    public var expected: JSONValue?

    /// What the candidate holds there; `nil` when it has nothing there (a
    /// missing key).
    public var got: JSONValue?

    /// For two numbers: their distance in ULPs (float32 ULPs when
    /// ``isFloat32``); ``ULP/unbounded`` when they are not comparable. `nil`
    /// for two integers (which compare exactly) and everything else.
    public var ulpDistance: UInt64?

    /// For two numbers: `|expected - got|` (infinity when not comparable).
    public var absoluteDifference: Double?

    /// Whether ``ulpDistance`` counts float32 ULPs (a `params` value).
    public var isFloat32: Bool = false

    /// What kind of difference this is.
    public var kind: Kind

    /// A one-line explanation, e.g. `values differ by 3 ULP`, `missing key`,
    /// `record count differs: expected 101, got 99`, `type differs: expected
    /// number, got string`, `error type differs: expected ValueError, got
    /// TypeError`.
    public var message: String
}

/// The outcome of comparing a candidate with a golden (or two values).
public struct ComparisonResult: Sendable {
    /// How many divergences ``divergences`` keeps; later ones are counted in
    /// ``differingValueCount`` but not stored.
    public static let storedDivergenceLimit = 1000

    /// The divergences, in the order found (record by record, keys in the
    /// golden's order), at most ``storedDivergenceLimit`` of them.
    public var divergences: [Divergence] = []

    /// How many values differ, all of them (not capped). Every divergence
    /// counts one: a missing key counts once, however large its value.
    public var differingValueCount: Int = 0

    /// How many number pairs were compared (whether or not they matched).
    public var comparedValueCount: Int = 0

    /// The largest ULP distance over all number pairs compared, including
    /// those within tolerance (float32 ULPs for `params`, double ULPs
    /// otherwise; ``ULP/unbounded`` if any pair was not comparable). Pairs of
    /// integers, which compare exactly, do not count.
    public var maxULPDistance: UInt64 = 0

    /// The largest `|expected - got|` over all number pairs compared,
    /// integer pairs included (infinity if any pair was not comparable).
    public var maxAbsoluteDifference: Double = 0

    /// The number of records in the golden's and the candidate's traces.
    public var recordCount: (expected: Int, got: Int) = (0, 0)

    /// The tolerance the numbers were compared under.
    public var tolerance: Tolerance = .exact

    /// Differences that do not count as divergences but are worth reporting:
    /// `error` objects whose types match but whose messages differ.
    public var notes: [Divergence] = []

    /// How many records hold at least one divergence. Divergences arrive in
    /// record order (as the comparison finds them), so counting changes of
    /// record index counts records without remembering them all.
    public private(set) var differingRecordCount = 0
    private var lastDifferingRecord = -1

    /// Whether the candidate matches: no value differs.
    public var matches: Bool { differingValueCount == 0 }

    /// The first divergence found, or `nil` when the candidate matches.
    public var first: Divergence? { divergences.first }

    /// An empty result (nothing compared yet) under `tolerance`.
    public init(tolerance: Tolerance = .exact) {
        self.tolerance = tolerance
    }

    /// Records a divergence: counts it, and stores it while fewer than
    /// ``storedDivergenceLimit`` are stored.
    public mutating func record(_ divergence: Divergence) {
        differingValueCount += 1
        if divergence.recordIndex >= 0 && divergence.recordIndex != lastDifferingRecord {
            differingRecordCount += 1
            lastDifferingRecord = divergence.recordIndex
        }
        if divergences.count < Self.storedDivergenceLimit {
            divergences.append(divergence)
        }
    }

    /// Records a note (see ``notes``), storing at most
    /// ``storedDivergenceLimit``.
    public mutating func note(_ divergence: Divergence) {
        if notes.count < Self.storedDivergenceLimit { notes.append(divergence) }
    }
}
