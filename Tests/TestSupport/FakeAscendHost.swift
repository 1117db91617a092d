import Foundation

@testable import GPUProbe

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A temporary folder holding `root/` (the fake host), `context/` (empty), and `secret`
/// beside the root, which no link may bring into the context.
struct FakeAscendHost {
    let base: String
    let root: String
    let context: String

    static let secret = Array("SECRET-OUTSIDE-THE-ROOT".utf8)
    static let installInfo = Array(
        """
        Driver_Install_Type=full
        UserName=HwHiAiUser
        UserGroup=HwHiAiUser
        Driver_Install_Path_Param=/usr/local/Ascend
        Driver_Install_For_All=no

        """.utf8
    )
    static let vnpu = Array("[vnpu]\ncount=0\n".utf8)
    static let npuSMI = Array(repeating: UInt8(0x7f), count: 3000) + Array("ELF".utf8)
    static let hal = Array(repeating: UInt8(0xab), count: 5000)
    static let nested = Array("nested".utf8)
    static let secure = Array(repeating: UInt8(0x11), count: 2048)
    static let mmpa = Array(repeating: UInt8(0x22), count: 777)
    static let dcmiLibrary = Array(repeating: UInt8(0x33), count: 4096)
    static let dcmiHeader = Array("int dcmi_init(void);\n".utf8)
    static let dcmiConfig = Array("private=1\n".utf8)

    /// Builds the host; `vnpu` says whether /etc/vnpu.cfg exists.
    init(vnpu: Bool = true) throws {
        base =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("gpuprobe-stage-\(UUID().uuidString)").path
        root = base + "/root"
        context = base + "/context"
        try makeFolder(context)
        try write(Self.secret, base + "/secret")

        let driver = "/usr/local/Ascend/driver"
        try put(Self.secure, "\(driver)/lib64/common/libc_sec.so")
        try put(Self.mmpa, "\(driver)/lib64/common/libmmpa.so")
        // Leads into the sibling folder `driver`: outside the tree `common`.
        try link("../driver/libascend_hal.so.1.0", "\(driver)/lib64/common/libcross.so")
        try put(Self.hal, "\(driver)/lib64/driver/libascend_hal.so.1.0")
        try link("libascend_hal.so.1.0", "\(driver)/lib64/driver/libascend_hal.so.1")
        try link("libascend_hal.so.1", "\(driver)/lib64/driver/libascend_hal.so")
        try link(
            "/usr/local/Ascend/driver/lib64/driver/libascend_hal.so.1.0",
            "\(driver)/lib64/driver/libabsolute.so"
        )
        try link("../driver/libascend_hal.so.1.0", "\(driver)/lib64/driver/libdetour.so")
        try put(Self.nested, "\(driver)/lib64/driver/sub/libnested.so")
        try link("sub/libnested.so", "\(driver)/lib64/driver/libnested.so")
        try put(Self.npuSMI, "\(driver)/tools/npu-smi", mode: 0o644)
        try link("\(driver)/tools/npu-smi", "/usr/local/bin/npu-smi")
        try put(
            Array(try Fixtures.text("ascend/version_info_24.1.rc2.2.txt").utf8),
            "\(driver)/version.info"
        )

        try put(Self.dcmiLibrary, "/usr/local/dcmi/libdcmi.so")
        try put(Self.dcmiHeader, "/usr/local/dcmi/dcmi_interface_api.h")
        try put(Self.dcmiConfig, "/usr/local/dcmi/private.conf", mode: 0o640)
        try link("/etc/passwd", "/usr/local/dcmi/passwd")
        try link("../../../../secret", "/usr/local/dcmi/escape")
        guard mkfifo(root + "/usr/local/dcmi/fifo", 0o644) == 0 else {
            throw POSIXError(.EIO)
        }

        try put(Self.installInfo, "/etc/ascend_install.info")
        if vnpu { try put(Self.vnpu, "/etc/vnpu.cfg") }
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: base)
    }

    /// Writes `bytes` at the host path `path` under the root.
    func put(_ bytes: [UInt8], _ path: String, mode: Int = 0o644) throws {
        try makeFolder((root + path as NSString).deletingLastPathComponent)
        try write(bytes, root + path)
        try FileManager.default.setAttributes(
            [.posixPermissions: mode],
            ofItemAtPath: root + path
        )
    }

    /// Makes the host path `path` a symbolic link with the text `text`.
    func link(_ text: String, _ path: String) throws {
        try makeFolder((root + path as NSString).deletingLastPathComponent)
        try FileManager.default.createSymbolicLink(
            atPath: root + path,
            withDestinationPath: text
        )
    }

    func stage(force: Bool = false) throws(StageError) -> StageReport {
        try AscendStager.stage(root: root, context: context, force: force)
    }

    /// The staged path of `relative` (below the context).
    func staged(_ relative: String) -> String {
        context + "/" + relative
    }
}

private func makeFolder(_ path: String) throws {
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
}

private func write(_ bytes: [UInt8], _ path: String) throws {
    try Data(bytes).write(to: URL(fileURLWithPath: path))
}
