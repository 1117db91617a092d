import CLZMA
import CZlib

/// Where a decoder stopped after a ``PayloadDecoder/decode(_:into:)`` call.
enum DecodeProgress: Equatable {
    /// Every input byte was used; give it more.
    case needsInput
    /// The compressed stream ended (bytes after it are not part of the payload).
    case streamEnd
    /// The sink asked to stop.
    case stopped
}

/// A streaming decompressor fed the payload in pieces.
///
/// Both implementations hold a C stream whose state points back at it (zlib checks
/// `state->strm == strm`), so they are classes with the C struct on the heap, never moved.
protocol PayloadDecoder: AnyObject {
    /// Whether the compressed stream has ended, so that running out of input is not a cut.
    var isFinished: Bool { get }

    /// Decodes `input`, handing each decoded piece to `sink` until the sink returns false.
    func decode(
        _ input: UnsafeRawBufferPointer,
        into sink: (UnsafeRawBufferPointer) throws(PayloadError) -> Bool
    ) throws(PayloadError) -> DecodeProgress
}

/// Size of the buffer each decoder decodes into.
private let outputSize = 256 * 1024

/// gzip through zlib's `inflate` (Debian zlib1g).
final class GzipDecoder: PayloadDecoder {
    private let stream: UnsafeMutablePointer<z_stream>
    private let output: UnsafeMutableRawBufferPointer
    /// A member ended; a following member (`1F 8B`) is decoded too, as `gzip -d` does.
    private var memberEnded = false
    /// The last call filled the output buffer, so zlib may hold more output without new input.
    private var outputFull = false

    var isFinished: Bool { memberEnded }

    /// Starts a gzip decoder.
    ///
    /// The corresponding C function is `inflateInit2`, a macro for `inflateInit2_`, which also
    /// takes the header's version and `sizeof(z_stream)` so that zlib can reject a mismatch.
    init() throws(PayloadError) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        output = .allocate(byteCount: outputSize, alignment: 16)
        // 15 + 16: the largest window, and a gzip wrapper (not zlib or raw deflate).
        let status = inflateInit2_(
            stream,
            15 + 16,
            ZLIB_VERSION,
            Int32(MemoryLayout<z_stream>.size)
        )
        guard status == Z_OK else {
            stream.deallocate()
            output.deallocate()
            throw .corrupt("zlib could not start (inflateInit2 returned \(status))")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        output.deallocate()
    }

    func decode(
        _ input: UnsafeRawBufferPointer,
        into sink: (UnsafeRawBufferPointer) throws(PayloadError) -> Bool
    ) throws(PayloadError) -> DecodeProgress {
        var rest = input
        while true {
            if memberEnded {
                guard rest.first == 0x1F else { return rest.isEmpty ? .needsInput : .streamEnd }
                inflateReset(stream)
                memberEnded = false
            }
            guard !rest.isEmpty || outputFull else { return .needsInput }
            stream.pointee.next_in = UnsafeMutablePointer(
                mutating: rest.baseAddress?.assumingMemoryBound(to: Bytef.self)
            )
            stream.pointee.avail_in = uInt(rest.count)
            stream.pointee.next_out = output.baseAddress.unsafelyUnwrapped
                .assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = uInt(output.count)
            let status = inflate(stream, Z_NO_FLUSH)
            rest = UnsafeRawBufferPointer(
                rebasing: rest[(rest.count - Int(stream.pointee.avail_in))...]
            )
            let produced = output.count - Int(stream.pointee.avail_out)
            outputFull = produced == output.count
            if produced > 0, try !sink(UnsafeRawBufferPointer(rebasing: output[..<produced])) {
                return .stopped
            }
            switch status {
            case Z_OK, Z_BUF_ERROR:
                continue
            case Z_STREAM_END:
                memberEnded = true
            case Z_NEED_DICT:
                throw .corrupt("the gzip stream asks for a preset dictionary")
            case Z_MEM_ERROR:
                throw .corrupt("zlib ran out of memory")
            default:
                let message = stream.pointee.msg.map { String(cString: $0) } ?? "error \(status)"
                throw .corrupt(message)
            }
        }
    }
}

/// xz through liblzma's stream decoder (Debian liblzma5).
final class XZDecoder: PayloadDecoder {
    /// The most memory the decoder may use, 80 MiB.
    ///
    /// `xz -9` needs about 65 MiB (NVIDIA's level 6, 9 MiB), so this admits every preset and
    /// refuses a crafted header asking for more. The window is filled as the stream decodes,
    /// so this is also what one read may hold.
    static let memoryLimit: UInt64 = 80 << 20

    private let stream: UnsafeMutablePointer<lzma_stream>
    private let output: UnsafeMutableRawBufferPointer
    private var ended = false
    /// The last call filled the output buffer, so liblzma may hold more output.
    private var outputFull = false

    var isFinished: Bool { ended }

    /// Starts an xz decoder for one stream.
    ///
    /// `lzma_stream()` is `LZMA_STREAM_INIT`: every field zero. The corresponding C function is
    /// `lzma_stream_decoder`, without `LZMA_CONCATENATED`: NVIDIA's payload is one stream.
    init() throws(PayloadError) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: lzma_stream())
        output = .allocate(byteCount: outputSize, alignment: 16)
        let status = lzma_stream_decoder(stream, Self.memoryLimit, 0)
        guard status == LZMA_OK else {
            stream.deallocate()
            output.deallocate()
            throw .corrupt("liblzma could not start (\(Self.message(status)))")
        }
    }

    deinit {
        lzma_end(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        output.deallocate()
    }

    func decode(
        _ input: UnsafeRawBufferPointer,
        into sink: (UnsafeRawBufferPointer) throws(PayloadError) -> Bool
    ) throws(PayloadError) -> DecodeProgress {
        var rest = input
        while true {
            if ended { return .streamEnd }
            guard !rest.isEmpty || outputFull else { return .needsInput }
            stream.pointee.next_in = rest.baseAddress?.assumingMemoryBound(to: UInt8.self)
            stream.pointee.avail_in = rest.count
            stream.pointee.next_out = output.baseAddress.unsafelyUnwrapped
                .assumingMemoryBound(to: UInt8.self)
            stream.pointee.avail_out = output.count
            let status = lzma_code(stream, LZMA_RUN)
            rest = UnsafeRawBufferPointer(rebasing: rest[(rest.count - stream.pointee.avail_in)...])
            let produced = output.count - stream.pointee.avail_out
            outputFull = produced == output.count
            if produced > 0, try !sink(UnsafeRawBufferPointer(rebasing: output[..<produced])) {
                return .stopped
            }
            switch status {
            case LZMA_OK, LZMA_BUF_ERROR:
                continue
            case LZMA_STREAM_END:
                ended = true
            default:
                throw .corrupt(Self.message(status))
            }
        }
    }

    /// What `xz` itself says for each error (xz-utils `src/xz/message.c`, `message_strm`).
    static func message(_ status: lzma_ret) -> String {
        switch status {
        case LZMA_MEM_ERROR: "memory allocation failed"
        case LZMA_MEMLIMIT_ERROR: "needs more than \(memoryLimit >> 20) MiB of memory to decode"
        case LZMA_FORMAT_ERROR: "file format not recognized"
        case LZMA_OPTIONS_ERROR: "unsupported options"
        case LZMA_DATA_ERROR: "compressed data is corrupt"
        case LZMA_BUF_ERROR: "unexpected end of input"
        case LZMA_UNSUPPORTED_CHECK: "unsupported type of integrity check"
        default: "liblzma error \(status.rawValue)"
        }
    }
}
