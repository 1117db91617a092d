extension CUDAFamily {
    /// Whether a driver runs every toolkit of this family: `driver` is at or above
    /// ``minDriver``, compared part by part with missing parts read as zero.
    ///
    /// ``minDriver`` may have fewer parts than ``DriverVersion`` parses (`580` for CUDA 13),
    /// so compare through this rather than through `DriverVersion(minDriver)`.
    ///
    /// - Parameter driver: the host's driver (`580.65.06`).
    /// - Returns: false as well when ``minDriver`` is not a dotted number (a catalog that
    ///   passed ``TorchCatalog/validate(file:)`` never has one).
    public func admits(_ driver: DriverVersion) -> Bool {
        guard let floor = CatalogShape.numbers(minDriver, parts: 1...4) else { return false }
        for index in 0..<max(floor.count, driver.parts.count) {
            let have = index < driver.parts.count ? driver.parts[index] : 0
            let need = index < floor.count ? floor[index] : 0
            if have != need { return have > need }
        }
        return true
    }
}
