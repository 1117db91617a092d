// The host JSON that match, dockerfile, run-flags and check read (--host FILE); what decodes
// must survive a render-and-decode round trip unchanged, and a refusal is one short line.
@testable import GPUProbe

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let report: HostReport
    do {
        report = try JSONOutput.decodeHostReport(bytes(data, size))
    } catch {
        mustBeOneShortLine(error.description)
        return 0
    }
    let again = try? JSONOutput.decodeHostReport(Array(JSONOutput.render(report).utf8))
    precondition(again == report, "the host report does not survive a JSON round trip")
    _ = MatchHost.from(report)
    _ = TextSummary.render(report)
    return 0
}
