/// One host file or folder an Ascend image carries, as the packaging guide copies it.
public struct AscendFile: Hashable, Sendable {
    /// A folder copied whole, or one file.
    public enum Kind: String, Hashable, Sendable {
        case directory, file
    }

    /// Where it lives on the host, first existing wins (npu-smi sits in `bin` on servers and in
    /// `sbin` on some edge hosts).
    public var hostPaths: [String]
    /// Its path in the build context, as `stage-ascend` writes it and the `COPY` line reads it.
    public var contextPath: String
    /// Where it goes in the image.
    public var imagePath: String
    /// Folder or file.
    public var kind: Kind
    /// Only present on some hosts (`/etc/vnpu.cfg` exists where vNPUs are configured).
    public var optional: Bool
    /// Must be executable in the image.
    public var executable: Bool
}

/// The Ascend driver files an image copies from its host, in the order the layers copy them.
///
/// One table for the three commands that must agree on it: `dockerfile` writes `COPY` lines from
/// it, `stage-ascend` fills the build context from it and `check` looks for its sources.
public enum AscendFiles {
    /// The folder in the build context that holds the staged files.
    ///
    /// A folder of its own keeps the generic names (`common`, `driver`) away from the user's
    /// files.
    public static let contextFolder = "ascend"

    /// The two library folders `LD_LIBRARY_PATH` must name, in this order.
    public static let libraryPath = [
        "/usr/local/Ascend/driver/lib64/common",
        "/usr/local/Ascend/driver/lib64/driver",
    ]

    /// Every file, required ones first in the guide's order.
    public static let all: [AscendFile] = [
        entry(["/usr/local/dcmi"], "dcmi", "/usr/local/dcmi", .directory),
        entry(
            ["/usr/local/bin/npu-smi", "/usr/local/sbin/npu-smi"],
            "npu-smi",
            "/usr/local/bin/npu-smi",
            .file,
            executable: true
        ),
        entry(
            ["/usr/local/Ascend/driver/lib64/common"],
            "common",
            "/usr/local/Ascend/driver/lib64/common",
            .directory
        ),
        entry(
            ["/usr/local/Ascend/driver/lib64/driver"],
            "driver",
            "/usr/local/Ascend/driver/lib64/driver",
            .directory
        ),
        entry(
            ["/etc/ascend_install.info"],
            "ascend_install.info",
            "/etc/ascend_install.info",
            .file
        ),
        entry(["/etc/vnpu.cfg"], "vnpu.cfg", "/etc/vnpu.cfg", .file, optional: true),
        entry(
            ["/usr/local/Ascend/driver/version.info"],
            "version.info",
            "/usr/local/Ascend/driver/version.info",
            .file
        ),
    ]

    private static func entry(
        _ hostPaths: [String],
        _ name: String,
        _ imagePath: String,
        _ kind: AscendFile.Kind,
        optional: Bool = false,
        executable: Bool = false
    ) -> AscendFile {
        AscendFile(
            hostPaths: hostPaths,
            contextPath: contextFolder + "/" + name,
            imagePath: imagePath,
            kind: kind,
            optional: optional,
            executable: executable
        )
    }
}
