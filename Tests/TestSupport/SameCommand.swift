@testable import GPUProbe

/// Whether two parsed commands are the same command with the same flags.
func sameCommand(_ left: any Command, _ right: any Command) -> Bool {
    func open<C: Command>(_ left: C) -> Bool { (right as? C) == left }
    return open(left)
}
