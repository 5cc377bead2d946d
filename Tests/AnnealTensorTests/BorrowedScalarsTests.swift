import AnnealTensor
import Testing

/// Tensors whose elements live elsewhere (a checkpoint's mapped file) keep
/// value semantics: reads see the memory, the first write copies, and the
/// memory is never written.
@Suite("Borrowed scalars")
struct BorrowedScalarsTests {
    /// Memory the tests lend out, freed with the object.
    final class Memory {
        let pointer: UnsafeMutableBufferPointer<Float>
        init(_ values: [Float]) {
            pointer = .allocate(capacity: values.count)
            _ = pointer.initialize(from: values)
        }
        deinit { pointer.deallocate() }
        var borrowed: BorrowedScalars { BorrowedScalars(UnsafeBufferPointer(pointer), owner: self) }
    }

    @Test func readsSeeTheMemoryAndWritesCopyIt() {
        let memory = Memory([1, 2, 3, 4, 5, 6])
        let tensor = Tensor(shape: [2, 3], borrowing: memory.borrowed)
        #expect(tensor.isBorrowingScalars)
        #expect(tensor.count == 6)
        #expect(tensor.scalars == [1, 2, 3, 4, 5, 6])
        #expect(tensor == Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]))
        #expect(tensor != Tensor(shape: [3, 2], scalars: [1, 2, 3, 4, 5, 6]))
        #expect(tensor.withUnsafeBufferPointer { $0.baseAddress } == UnsafePointer(memory.pointer.baseAddress))

        // A copy written through each mutating path: the original and the memory stay.
        var viaPointer = tensor
        viaPointer.withUnsafeMutableBufferPointer { $0[0] = 10 }
        var viaScalars = tensor
        viaScalars.scalars[1] = 20
        var viaSetter = tensor
        viaSetter.scalars = [0, 0, 0, 0, 0, 0]
        var viaOperator = tensor
        viaOperator += Tensor(shape: [2, 3], scalars: [1, 1, 1, 1, 1, 1])
        #expect(viaPointer.scalars == [10, 2, 3, 4, 5, 6] && !viaPointer.isBorrowingScalars)
        #expect(viaScalars.scalars == [1, 20, 3, 4, 5, 6] && !viaScalars.isBorrowingScalars)
        #expect(viaSetter.scalars == [0, 0, 0, 0, 0, 0])
        #expect(viaOperator.scalars == [2, 3, 4, 5, 6, 7])
        #expect(tensor.isBorrowingScalars && tensor.scalars == [1, 2, 3, 4, 5, 6])
        #expect(Array(memory.pointer) == [1, 2, 3, 4, 5, 6])

        var owned = tensor
        owned.ownScalars()
        #expect(!owned.isBorrowingScalars && owned == tensor)
    }

    @Test func theTensorKeepsTheMemoryAlive() {
        var tensor: Tensor
        do {
            let memory = Memory([7, 8])
            tensor = Tensor(shape: [2], borrowing: memory.borrowed)
        }
        // `memory` is out of scope; the tensor's BorrowedScalars holds it.
        #expect(tensor.scalars == [7, 8])
        tensor.scalars[0] = 9
        #expect(tensor.scalars == [9, 8])
    }

    @Test func equalityOfBorrowedTensorsComparesElements() {
        let a = Memory([1, .nan]), b = Memory([1, .nan]), c = Memory([1, 2])
        let x = Tensor(shape: [2], borrowing: a.borrowed)
        #expect(x == x)  // the same memory, as an array equals itself
        #expect(Tensor(shape: [2], borrowing: a.borrowed) != Tensor(shape: [2], borrowing: b.borrowed))  // NaN != NaN
        #expect(Tensor(shape: [2], borrowing: c.borrowed) == Tensor([1, 2]))
        #expect(Tensor(shape: [0], borrowing: Memory([]).borrowed) == Tensor([]))
    }
}
