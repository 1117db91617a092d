import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

@Suite struct KeyValueFileTests {
    static let versionInfos = Fixtures.captured(in: "ascend")

    @Test func findsTheSamples() {
        #expect(Self.versionInfos.count == 2)
    }

    @Test(arguments: versionInfos)
    func matchesExpectedVersionInfo(file: String) throws {
        let text = try Fixtures.text(file)
        let expected = try Fixtures.expected(file)
        let pairs = KeyValueFile.parse(text)
        #expect(!expected.isEmpty)
        for (key, value) in expected {
            let wanted = try #require(value as? String, "\(file): \(key)")
            if key == "driver_version" {
                #expect(AscendVersionInfo.driverVersion(from: text) == wanted)
            } else {
                // The meta file spells keys in lower case; version.info has `Innerversion`.
                let found = pairs.last { $0.key.lowercased() == key }
                #expect(found?.value == wanted, "\(file): \(key)")
            }
        }
        // Every line of these files is an assignment.
        let lines = text.split(whereSeparator: \.isNewline).filter { !$0.isEmpty }
        #expect(pairs.count == lines.count)
    }

    @Test func keepsOrderAndDuplicates() {
        let pairs = KeyValueFile.parse("b=1\na=2\nb=3\n")
        #expect(pairs.map(\.key) == ["b", "a", "b"])
        #expect(pairs.map(\.value) == ["1", "2", "3"])
        #expect(KeyValueFile.dictionary("b=1\na=2\nb=3\n") == ["a": "2", "b": "3"])
    }

    @Test func skipsCommentsBlanksAndJunk() {
        let text = """
            # comment
              # indented comment

            no equals sign here
            =no key
            two words=x
            UserName=HwHiAiUser
            Driver_Install_Type=full        # also devel / docker
            url=http://example.com/#anchor
            empty=
            """
        let pairs = KeyValueFile.parse(text)
        #expect(pairs.map(\.key) == ["UserName", "Driver_Install_Type", "url", "empty"])
        #expect(pairs.map(\.value) == ["HwHiAiUser", "full", "http://example.com/#anchor", ""])
    }

    @Test func readsCRLFAndCR() {
        let pairs = KeyValueFile.parse("Version=24.1.rc2\r\npackage_version=24.1.rc2.2\r\rX=1")
        #expect(pairs.map(\.key) == ["Version", "package_version", "X"])
        #expect(pairs.map(\.value) == ["24.1.rc2", "24.1.rc2.2", "1"])
    }

    @Test func keepsValuesExactlyAsWritten() {
        let text = "compatible_version=[V100R001C30],[V100R001C13]\nVersion= 24.1.RC2 \n"
        let values = KeyValueFile.dictionary(text)
        #expect(values["compatible_version"] == "[V100R001C30],[V100R001C13]")
        #expect(values["Version"] == "24.1.RC2")
    }

    @Test(arguments: [
        (line: #"A="Debian GNU/Linux 12 (bookworm)""#, value: "Debian GNU/Linux 12 (bookworm)"),
        (line: #"A='single "quoted" text'"#, value: #"single "quoted" text"#),
        (line: #"A="say \"hi\" for \$5 \\ \`x\`""#, value: #"say "hi" for $5 \ `x`"#),
        (line: #"A="keep \n as is""#, value: #"keep \n as is"#),
        (line: #"A='no \escapes'"#, value: #"no \escapes"#),
        (line: #"A="joined"'parts'"#, value: "joinedparts"),
        (line: #"A="quoted" # comment"#, value: "quoted"),
        (line: #"A="unterminated value"#, value: "unterminated value"),
        (line: #"A="""#, value: ""),
        (line: #"export A="exported""#, value: "exported"),
        (line: "A=\"Ubuntu 22.04.4 LTS\"\r", value: "Ubuntu 22.04.4 LTS"),
    ])
    func unquotesLikeOSRelease(line: String, value: String) {
        let pairs = KeyValueFile.parse(line)
        #expect(pairs.count == 1)
        #expect(pairs.first?.key == "A")
        #expect(pairs.first?.value == value)
    }

    @Test func readsThisMachinesOSRelease() throws {
        let path = ["/etc/os-release", "/usr/lib/os-release"].first {
            FileManager.default.fileExists(atPath: $0)
        }
        let text = try String(contentsOfFile: try #require(path), encoding: .utf8)
        let info = OSRelease.parse(text)
        let id = try #require(info.id)
        #expect(!id.contains("\""))
        // The file must name the same ID a plain line scan finds.
        let idLine = text.split(separator: "\n").first { $0.hasPrefix("ID=") }
        let raw = try #require(idLine).dropFirst(3).trimmingCharacters(
            in: CharacterSet(charactersIn: "\"'")
        )
        #expect(id == raw)
        if let pretty = info.prettyName {
            #expect(!pretty.hasPrefix("\""))
            #expect(!pretty.isEmpty)
        }
    }

    @Test func readsOSReleaseFields() {
        let text = """
            NAME="openEuler"
            VERSION="22.03 (LTS-SP1)"
            ID="openEuler"
            VERSION_ID="22.03"
            PRETTY_NAME="openEuler 22.03 (LTS-SP1)"
            ANSI_COLOR="0;31"
            """
        #expect(
            OSRelease.parse(text)
                == OSInfo(
                    id: "openEuler",
                    versionID: "22.03",
                    prettyName: "openEuler 22.03 (LTS-SP1)"
                )
        )
        #expect(OSRelease.parse("ID=debian\nVERSION_ID=\n") == OSInfo(id: "debian"))
        #expect(OSRelease.parse("") == OSInfo())
    }

    @Test func fallsBackToVersion() {
        #expect(AscendVersionInfo.driverVersion(from: "Version=24.1.rc1\n") == "24.1.rc1")
        #expect(
            AscendVersionInfo.driverVersion(from: "Version=7.1\npackage_version=24.1.rc2\n")
                == "24.1.rc2"
        )
        #expect(
            AscendVersionInfo.driverVersion(from: "package_version=\nVersion=23.0.3\n") == "23.0.3"
        )
        #expect(AscendVersionInfo.driverVersion(from: "ascendhal_version=7.35.23\n") == nil)
        #expect(AscendVersionInfo.driverVersion(from: "") == nil)
    }

    @Test func survivesJunkAndSize() {
        var generator = SplitMix(seed: 7)
        for size in [0, 1, 13, 4096, 100_000] {
            let bytes = (0..<size).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            _ = KeyValueFile.parse(String(decoding: bytes, as: UTF8.self))
        }
        let big = String(
            repeating: "PRETTY_NAME=\"Debian \\\"GNU\\\"/Linux\" # c\r\n",
            count: 250_000
        )
        var count = 0
        count = KeyValueFile.parse(big).count
        #expect(count == 250_000)
        let oneLine = "A=\"" + String(repeating: "\\\"x", count: 3_000_000)
        #expect(KeyValueFile.parse(oneLine).first?.value.utf8.count == 6_000_000)
    }
}
