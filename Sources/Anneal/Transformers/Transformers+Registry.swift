extension Transformers {
    /// The registry entries of this family: `transformers.get_scheduler`,
    /// whose spec arguments are `get_scheduler`'s keywords (`name`,
    /// `num_warmup_steps`, `num_training_steps`, `scheduler_specific_kwargs`;
    /// an absent key is not passed). It takes no `last_epoch` (a spec may
    /// still pass one in `scheduler_specific_kwargs`, as Python may).
    ///
    /// `{"type": "transformers.get_scheduler", "args": {"name": "linear",
    /// "num_warmup_steps": 2, "num_training_steps": 6}}` with `lr = 0.1`:
    /// 0.0, 0.05, 0.1, 0.07500000000000001, 0.05, 0.025, 0.0.
    static var registryEntries: [SchedulerRegistry.Entry] {
        [
            SchedulerRegistry.Entry(pythonName: "transformers.get_scheduler", takesLastEpoch: false) {
                args, context in
                try make(&args, optimizer: context.optimizer)
            }
        ]
    }

    /// The keywords `get_scheduler` takes after `optimizer`.
    static let keywords = ["name", "num_warmup_steps", "num_training_steps", "scheduler_specific_kwargs"]

    /// `get_scheduler(optimizer=optimizer, **args)` with Python's binding errors.
    static func make(_ args: inout KeywordArguments, optimizer: Optimizer) throws(PythonError) -> any Scheduler {
        for key in args.values.keys {
            if key == "optimizer" {
                throw .typeError("get_scheduler() got multiple values for argument 'optimizer'")
            }
            if !keywords.contains(key) {
                throw .typeError("get_scheduler() got an unexpected keyword argument '\(key)'")
            }
        }
        guard let nameValue = args.values["name"] else {
            throw .typeError("get_scheduler() missing 1 required positional argument: 'name'")
        }
        return try getScheduler(
            try name(nameValue), optimizer: optimizer, warmupSteps: args.values["num_warmup_steps"],
            trainingSteps: args.values["num_training_steps"], kwargs: args.values["scheduler_specific_kwargs"])
    }
}
