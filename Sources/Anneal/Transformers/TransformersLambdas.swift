/// The `lr_lambda` functions of Hugging Face transformers' schedules
/// (`transformers/optimization.py`, 5.23.0), each the factor `LambdaLR`
/// multiplies a group's initial rate by at step `s` (`last_epoch`).
///
/// Each is `functools.partial(_lr_lambda, ...)` in transformers, so each is
/// a ``ScheduleFunction/init(partial:)`` whose `state_dict()` entry is `{}`
/// (`get_constant_schedule`'s plain function is the exception: `null`).
/// The arithmetic is transformers' own, in its order: `float()` casts,
/// `math.cos`/`math.sqrt` (glibc's `cos`, the correctly rounded `sqrt`),
/// Python's float `%`, true division (ZeroDivisionError on zero), and
/// `max(a, b)` as Python's (`a` unless `b > a`, so `max(0.0, nan)` is `0.0`).
/// Step counts are held as doubles: Python's `int` arithmetic on them is
/// exact below 2^53, and so is this.
///
/// The warmup shared by most of them: `s < num_warmup_steps` gives
/// `s / max(1, num_warmup_steps)`.
extension Transformers {
    public enum Lambdas {
        /// `float(current_step) / float(max(1, num_warmup_steps))`.
        @inline(__always)
        static func warmup(_ step: Double, _ warmupSteps: Double) -> Double {
            step / pyMax(1, warmupSteps)
        }

        /// `get_constant_schedule`'s `_get_constant_lambda`: always `1`
        /// (Python's `int` 1), a plain function (saved as `null`).
        ///
        /// With `lr = 0.1`: 0.1, 0.1, 0.1, ...
        public static func constant() -> ScheduleFunction {
            ScheduleFunction(python: { _ in 1 })
        }

        /// `_get_constant_schedule_with_warmup_lr_lambda`: `s / max(1.0, w)`
        /// while `s < w`, then `1.0`.
        ///
        /// With `lr = 0.1`, `w = 4`: 0.0, 0.025, 0.05, 0.07500000000000001, 0.1, 0.1, ...
        public static func constantWithWarmup(warmupSteps w: Double) -> ScheduleFunction {
            ScheduleFunction(partial: { value in
                let s = value.doubleValue
                if s < w { return s / pyMax(1.0, w) }
                return 1.0
            })
        }

        /// `_get_linear_schedule_with_warmup_lr_lambda`: warmup, then
        /// `max(0.0, (t − s) / max(1, t − w))`.
        ///
        /// With `lr = 0.1`, `w = 2`, `t = 6`: 0.0, 0.05, 0.1, 0.07500000000000001, 0.05, 0.025, 0.0, 0.0, ...
        public static func linear(warmupSteps w: Double, trainingSteps t: Double) -> ScheduleFunction {
            ScheduleFunction(partial: { value in
                let s = value.doubleValue
                if s < w { return warmup(s, w) }
                return pyMax(0.0, (t - s) / pyMax(1, t - w))
            })
        }

        /// `_get_cosine_schedule_with_warmup_lr_lambda` (its second
        /// definition in transformers, the one that runs, with `m =
        /// min_lr_rate`): warmup, then with `p = (s − w) / max(1, t − w)`,
        /// `f = 0.5·(1 + cos(π·num_cycles·2·p))`, `max(0, f·(1 − m) + m)`.
        /// `cosine` uses it with `m = 0.0`, `cosine_with_min_lr` with its rate.
        ///
        /// With `lr = 0.1`, `w = 0`, `t = 4`, `num_cycles = 0.5`: 0.1,
        /// 0.08535533905932738, 0.05, 0.014644660940672627, 0.0, then rising
        /// again past `t` (0.014644660940672617): nothing clamps `p` to 1.
        /// With `m = 0.1` instead: 0.1, 0.08681980515339464, 0.05500000000000001,
        /// 0.023180194846605367, 0.010000000000000002.
        public static func cosine(
            warmupSteps w: Double, trainingSteps t: Double, numCycles: Double = 0.5, minLRRate m: Double = 0.0
        ) -> ScheduleFunction {
            ScheduleFunction(partial: { (value) throws(PythonError) in
                let s = value.doubleValue
                if s < w { return warmup(s, w) }
                let progress = (s - w) / pyMax(1, t - w)
                var factor = 0.5 * (1.0 + (try PyFloat.cos(Double.pi * numCycles * 2.0 * progress)))
                factor = factor * (1 - m) + m
                return pyMax(0, factor)
            })
        }

        /// `_get_cosine_with_hard_restarts_schedule_with_warmup_lr_lambda`:
        /// warmup, then with `p = (s − w) / max(1, t − w)`: `0.0` once
        /// `p ≥ 1`, else `max(0.0, 0.5·(1 + cos(π·((num_cycles·p) % 1.0))))`.
        ///
        /// With `lr = 0.1`, `w = 0`, `t = 4`, `num_cycles = 2`: 0.1, 0.05, 0.1, 0.05, 0.0, ...
        public static func cosineWithHardRestarts(
            warmupSteps w: Double, trainingSteps t: Double, numCycles: Double = 1
        ) -> ScheduleFunction {
            ScheduleFunction(partial: { (value) throws(PythonError) in
                let s = value.doubleValue
                if s < w { return warmup(s, w) }
                let progress = (s - w) / pyMax(1, t - w)
                if progress >= 1.0 { return 0.0 }
                let phase = try PyFloat.mod(numCycles * progress, 1.0)
                return pyMax(0.0, 0.5 * (1.0 + (try PyFloat.cos(Double.pi * phase))))
            })
        }

        /// `_get_polynomial_decay_schedule_with_warmup_lr_lambda`, with
        /// `lr_init = optimizer.defaults["lr"]`: warmup; `lr_end / lr_init`
        /// after `t`; else `((lr_init − lr_end)·(1 − (s − w)/(t − w))^power + lr_end) / lr_init`.
        ///
        /// With `lr = 0.1`, `w = 0`, `t = 4`, `lr_end = 0.0`, `power = 2.0`:
        /// 0.1, 0.05625, 0.025, 0.00625, 0.0, 0.0, ...
        public static func polynomialDecay(
            warmupSteps w: Double, trainingSteps t: Double, lrEnd: Double = 1e-7, power: Double = 1.0,
            lrInit: Double
        ) -> ScheduleFunction {
            ScheduleFunction(partial: { (value) throws(PythonError) in
                let s = value.doubleValue
                if s < w { return warmup(s, w) }
                if s > t { return try PyFloat.divide(lrEnd, lrInit) }
                let range = lrInit - lrEnd
                let decaySteps = t - w
                let remaining = 1 - (try PyFloat.divide(s - w, decaySteps))
                let decay = range * (try PyFloat.pow(remaining, power)) + lrEnd
                return try PyFloat.divide(decay, lrInit)
            })
        }

        /// `_get_inverse_sqrt_schedule_lr_lambda`: warmup, then
        /// `1.0 / sqrt((s + timescale − w) / timescale)`.
        ///
        /// With `lr = 0.1`, `w = 0`, `timescale = 1`: 0.1, 0.07071067811865475, 0.05773502691896259, 0.05, ...
        public static func inverseSqrt(warmupSteps w: Double, timescale: Double) -> ScheduleFunction {
            ScheduleFunction(partial: { (value) throws(PythonError) in
                let s = value.doubleValue
                if s < w { return warmup(s, w) }
                let shift = timescale - w
                return try PyFloat.divide(1.0, try PyFloat.sqrt(try PyFloat.divide(s + shift, timescale)))
            })
        }

        /// `_get_cosine_with_min_lr_schedule_with_warmup_lr_rate_lambda`
        /// (`cosine_warmup_with_min_lr`), on floats: while `s < w`,
        /// `(s + 1) / max(1, w)`, or with `warmup_lr_rate = r`,
        /// `r + (1 − r)·s / max(1, w − 1)`; then with
        /// `p = (s − w + 1) / max(1, t − w)`, `f = 0.5·(1 + cos(π·num_cycles·2·p))`,
        /// `max(0, f·(1 − m) + m)`.
        ///
        /// With `lr = 0.1`, `w = 2`, `t = 6`, `m = 0.0`: 0.05, 0.1, 0.08535533905932738, 0.05,
        /// 0.014644660940672627, 0.0, ...
        public static func cosineWarmupWithMinLR(
            warmupSteps w: Double, trainingSteps t: Double, numCycles: Double = 0.5, minLRRate m: Double,
            warmupLRRate: Double? = nil
        ) -> ScheduleFunction {
            ScheduleFunction(partial: { (value) throws(PythonError) in
                let s = value.doubleValue
                if s < w {
                    guard let r = warmupLRRate else { return (s + 1.0) / pyMax(1.0, w) }
                    return r + (1.0 - r) * s / pyMax(1, w - 1)
                }
                let progress = (s - w + 1.0) / pyMax(1.0, t - w)
                var factor = 0.5 * (1.0 + (try PyFloat.cos(Double.pi * numCycles * 2.0 * progress)))
                factor = factor * (1 - m) + m
                return pyMax(0, factor)
            })
        }

        /// The shape of a warmup or a decay in `warmup_stable_decay`.
        public enum Shape: String, Sendable, CaseIterable {
            case linear
            case cosine
            case oneMinusSqrt = "1-sqrt"
        }

        /// `_get_wsd_scheduler_lambda`, with `m = min_lr_ratio`: while
        /// `s < w`, with `p = s / max(1, w)`, the warmup `p`,
        /// `0.5·(1 − cos(π·p))` or `1 − sqrt(1 − p)`, as `max(0.0, f·(1 − m) + m)`;
        /// `1.0` while `s < w + stable`; while `s < w + stable + decay`, with
        /// `p = (s − w − stable) / max(1, decay)`, the decay `1 − p`,
        /// `0.5·(1 + cos(π·num_cycles·2·p))` or `1 − sqrt(p)`, as
        /// `max(0.0, f·(1 − m) + m)`; then `m`.
        ///
        /// With `lr = 0.1`, `w = 2`, stable `1`, decay `2` (linear, linear), `m = 0`:
        /// 0.0, 0.05, 0.1, 0.1, 0.05, 0.0, 0.0, ...
        public static func warmupStableDecay(
            warmupSteps w: Double, stableSteps stable: Double, decaySteps decay: Double,
            warmupType: Shape = .linear, decayType: Shape = .cosine, minLRRatio m: Double = 0,
            numCycles: Double = 0.5
        ) -> ScheduleFunction {
            ScheduleFunction(partial: { (value) throws(PythonError) in
                let s = value.doubleValue
                if s < w {
                    let progress = warmup(s, w)
                    var factor: Double
                    switch warmupType {
                    case .linear: factor = progress
                    case .cosine: factor = 0.5 * (1.0 - (try PyFloat.cos(Double.pi * progress)))
                    case .oneMinusSqrt: factor = 1.0 - (try PyFloat.sqrt(1.0 - progress))
                    }
                    factor = factor * (1.0 - m) + m
                    return pyMax(0.0, factor)
                }
                if s < w + stable { return 1.0 }
                if s < w + stable + decay {
                    let progress = (s - w - stable) / pyMax(1, decay)
                    var factor: Double
                    switch decayType {
                    case .linear: factor = 1.0 - progress
                    case .cosine: factor = 0.5 * (1.0 + (try PyFloat.cos(Double.pi * numCycles * 2.0 * progress)))
                    case .oneMinusSqrt: factor = 1.0 - (try PyFloat.sqrt(progress))
                    }
                    factor = factor * (1.0 - m) + m
                    return pyMax(0.0, factor)
                }
                return m
            })
        }
    }
}
