extension TorchCatalog {
    /// The driver branches that serve a GPU architecture (`Pascal`), when the catalog has them.
    public func branches(for architecture: String?) -> ArchitectureBranches? {
        guard let architecture else { return nil }
        return architectureBranches.first { $0.architecture == architecture }
    }
}
