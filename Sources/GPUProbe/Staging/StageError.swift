/// Why `stage-ascend` wrote nothing (or, for the last two cases, could not finish cleanly).
///
/// Every case names the path concerned; `description` is one line that ends with what to do.
public enum StageError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `--root` does not exist.
    case rootNotFound(path: String)
    /// `--root` is not a folder.
    case rootNotAFolder(path: String)
    /// The build context does not exist; it is never created, a typo should not make one.
    case contextNotFound(path: String)
    /// The build context is not a folder.
    case contextNotAFolder(path: String)
    /// Required Ascend files are absent under `root`; one item per table entry, its host
    /// paths joined by "or", a broken symbolic link marked as such.
    case missingRequired(paths: [String], root: String)
    /// A symbolic link on the way to a source leads above the root.
    case linkOutsideRoot(link: String, root: String)
    /// A symbolic link on the way to a source is part of a loop.
    case linkLoop(link: String)
    /// A source is not what the table expects (a file where a folder should be, a FIFO).
    case wrongKind(path: String, expected: String, found: String)
    /// Destinations exist and `--force` was not given.
    case exists(paths: [String])
    /// A folder the staged files go into is something else.
    case notAFolder(path: String)
    /// The sources hold more files, folders and links than ``AscendStager/maxEntries``.
    case tooManyEntries(path: String, limit: Int)
    /// The sources hold more bytes than ``AscendStager/maxBytes``.
    case tooManyBytes(path: String, limit: Int)
    /// A source could not be read; `reason` is the system's text.
    case unreadable(path: String, reason: String)
    /// The context could not be written; everything written so far was removed.
    case writeFailed(path: String, reason: String)
    /// Replacing existing entries failed and they could not all be put back; the previous
    /// ones are kept in `kept`.
    case replaceFailed(path: String, reason: String, kept: String)
    /// Everything is staged, but the temporary folder could not be removed.
    case cleanupFailed(path: String, reason: String)

    /// One line: what is wrong, which path, and what to do.
    public var description: String {
        switch self {
        case .rootNotFound(let path):
            "the root '\(path)' does not exist; pass --root a folder that holds a copy of an "
                + "Ascend host's files, or leave it out to read this host"
        case .rootNotAFolder(let path):
            "the root '\(path)' is not a folder; pass --root a folder that holds a copy of an "
                + "Ascend host's files"
        case .contextNotFound(let path):
            "the build context '\(path)' does not exist; create it, or pass --context the folder "
                + "`docker build` reads"
        case .contextNotAFolder(let path):
            "the build context '\(path)' is not a folder; pass --context the folder "
                + "`docker build` reads"
        case .missingRequired(let paths, let root):
            (root == "/"
                ? "the Ascend driver files \(paths.joined(separator: ", ")) are missing; "
                : "the Ascend driver files \(paths.joined(separator: ", ")) are missing under "
                    + "'\(root)'; ")
                + "this may not be an Ascend host: run on one with the driver installed, or "
                + "pass --root a folder that holds a copy of one's files"
        case .linkOutsideRoot(let link, let root):
            "'\(link)' is a symbolic link that leads above the root '\(root)'; copy what it "
                + "points to into the root, or pass --root a folder that holds it"
        case .linkLoop(let link):
            "'\(link)' is a symbolic link in a loop; fix the link on the host"
        case .wrongKind(let path, let expected, let found):
            "'\(path)' is \(found), expected \(expected); check the Ascend driver installation"
        case .exists(let paths) where paths.count == 1:
            "\(Self.list(paths)) exists; pass --force to replace it"
        case .exists(let paths):
            "\(Self.list(paths)) exist; pass --force to replace them"
        case .notAFolder(let path):
            "'\(path)' is not a folder; move it away so the Ascend files can be staged there"
        case .tooManyEntries(let path, let limit):
            "staging '\(path)' passes the limit of \(limit) files, folders and links; the "
                + "Ascend driver holds a few thousand: check that --root is an Ascend host's"
        case .tooManyBytes(let path, let limit):
            "staging '\(path)' passes the limit of \(StageText.humanSize(limit)); the Ascend driver "
                + "holds a few GiB: check that --root is an Ascend host's"
        case .unreadable(let path, let reason):
            "cannot read '\(path)': \(reason); run as a user who can read the Ascend driver "
                + "files (usually root)"
        case .writeFailed(let path, let reason):
            "cannot write '\(path)': \(reason); nothing in the build context was changed"
        case .replaceFailed(let path, let reason, let kept):
            "replacing '\(path)' failed (\(reason)) and the previous files could not all be "
                + "put back; they are in '\(kept)': move them back, or run again with --force"
        case .cleanupFailed(let path, let reason):
            "the Ascend files are staged, but '\(path)' could not be removed (\(reason)); "
                + "remove it before `docker build`"
        }
    }

    private static func list(_ paths: [String]) -> String {
        paths.map { "'\($0)'" }.joined(separator: ", ")
    }
}
