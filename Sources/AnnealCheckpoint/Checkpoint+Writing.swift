extension Checkpoint {
    /// Writes the checkpoint to `path` crash-safely (see
    /// ``AtomicFileWriter``: temporary file, `fsync`, `rename`, `fsync` of
    /// the directory). The bytes are ``encoded()``'s, written straight from
    /// the tensors' storage.
    ///
    /// - Throws: ``CheckpointError`` naming `path` and the failed system
    ///   call; the previous file under `path`, if any, is then untouched.
    public func write(to path: String) throws(CheckpointError) {
        let plan = encodingPlan()
        var writer = try AtomicFileWriter(path: path)
        let header = plan.header.encoded()
        try header.withUnsafeBytes { bytes in Result { () throws(CheckpointError) in try writer.write(bytes) } }.get()
        for tensor in plan.tensors {
            let result = withLittleEndianBytes(of: tensor) { bytes in
                Result { () throws(CheckpointError) in try writer.write(bytes) }
            }
            try result.get()
        }
        try writer.commit()
    }
}
