extension TorchCatalog {
    /// The largest catalog file read, in bytes (the repository's is about 60 KiB).
    public static let sizeLimit = LiveHost.fileLimit

    /// The name messages give the compiled-in catalog.
    public static let embeddedFileName = "catalog/pytorch.json (embedded)"

    // ``embedded``, the repository's `catalog/pytorch.json` as values, is in
    // EmbeddedCatalog.swift, which `scripts/embed-catalog` writes.

    /// Reads, decodes and validates a catalog file (`gpuprobe match --catalog FILE`).
    ///
    /// - Parameter path: the file.
    /// - Returns: the catalog.
    /// - Throws: ``CatalogError``: unreadable, larger than ``sizeLimit``, not JSON, another
    ///   schema, the wrong shape, or an entry that breaks a rule of ``validate(file:)``.
    public static func load(path: String) throws(CatalogError) -> TorchCatalog {
        switch BoundedFile.read(path, limit: sizeLimit) {
        case .failure(.missing):
            throw .unreadable(file: path, reason: "no such file")
        case .failure(.notRegular(let kind)):
            throw .unreadable(file: path, reason: "it is \(kind), not a regular file")
        case .failure(.failed(let reason)):
            throw .unreadable(file: path, reason: reason)
        case .success(let read):
            guard read.complete else { throw .tooLarge(file: path, limit: sizeLimit) }
            return try decode(read.bytes, file: path)
        }
    }

    /// Decodes and validates a catalog document.
    ///
    /// - Parameters:
    ///   - bytes: the JSON document.
    ///   - file: the name messages give it.
    /// - Returns: the catalog.
    /// - Throws: ``CatalogError`` as ``load(path:)`` does, except for reading.
    public static func decode(
        _ bytes: [UInt8],
        file: String = "<bytes>"
    ) throws(CatalogError) -> TorchCatalog {
        let value: JSONValue
        do {
            value = try JSONCoding.parse(bytes)
        } catch {
            throw .notValidJSON(file: file, reason: error.description)
        }
        guard case .object = value else { throw .notJSON(file: file) }
        let schema = JSONCoding.string("schema", of: value)
        guard schema == currentSchema else {
            throw .unsupportedSchema(file: file, schema: schema)
        }
        let catalog: TorchCatalog
        do {
            catalog = try JSONCoding.decode(TorchCatalog.self, from: value)
        } catch let error as DecodingError {
            throw Self.malformed(error, file: file)
        } catch {
            throw .malformed(file: file, path: "the top level", reason: "\(error)")
        }
        try catalog.validate(file: file)
        return catalog
    }

    /// Where a decoding error happened (`releases[3].variants[1]`) and what was wrong, in one
    /// line.
    private static func malformed(_ error: DecodingError, file: String) -> CatalogError {
        func place(_ path: [any CodingKey]) -> String {
            let text = JSONCoding.path(path)
            return text.isEmpty ? "the top level" : text
        }
        switch error {
        case .keyNotFound(let key, let context):
            return .malformed(
                file: file,
                path: place(context.codingPath),
                reason: "key \(CatalogText.quoted(key.stringValue)) is missing"
            )
        case .valueNotFound(let type, let context):
            return .malformed(
                file: file,
                path: place(context.codingPath),
                reason: "null where \(typeName(type)) is required"
            )
        case .typeMismatch(let type, let context):
            return .malformed(
                file: file,
                path: place(context.codingPath),
                reason: "expected \(typeName(type))"
            )
        case .dataCorrupted(let context):
            return .malformed(
                file: file,
                path: place(context.codingPath),
                reason: String(CatalogText.quoted(context.debugDescription).dropFirst().dropLast())
            )
        @unknown default:
            return .malformed(file: file, path: "the top level", reason: "\(error)")
        }
    }

    /// JSON words for the Swift types the model uses.
    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type: "an integer"
        case is [Any].Type: "an array"
        default: "an object"
        }
    }
}
