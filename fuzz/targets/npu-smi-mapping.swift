// npu-smi info -m, the chip-to-logic-id mapping, and its merge into an info section.
@testable import GPUProbe

let info = NPUSMIParser.parse(
    String(decoding: fixture("Fixtures/npu-smi/info_910A_x8_npusmi22.0.3.1_gpustack.txt"), as: UTF8.self)
).section

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let mapping = NPUSMIMappingTable.parse(NPUSMIText.lines(text(data, size)))
    let section = AscendSection(npus: mapping.npus)
    mustRender(section)
    mustRender(NPUSMIParser.merge(info: info, mapping: section))
    return 0
}
