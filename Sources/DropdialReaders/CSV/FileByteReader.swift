#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only file descriptor read in chunks with plain `read(2)`, so memory never grows with file size.
/// Errors become `ReaderError.cannotOpen`, the only case that fits an I/O failure.
final class FileByteReader {
    let path: String
    /// The size `fstat` reported when the file was opened.
    let size: Int64
    private let fd: Int32

    init(path: String) throws(ReaderError) {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw .cannotOpen(path: path, reason: Self.describe(errno))
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let code = errno
            close(fd)
            throw .cannotOpen(path: path, reason: Self.describe(code))
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw .cannotOpen(path: path, reason: "not a regular file")
        }
        self.fd = fd
        self.size = Int64(info.st_size)
    }

    deinit { close(fd) }

    /// Moves the read position to `offset` bytes from the start.
    func seek(to offset: Int64) throws(ReaderError) {
        if lseek(fd, off_t(offset), SEEK_SET) < 0 {
            throw .cannotOpen(path: path, reason: Self.describe(errno))
        }
    }

    /// Reads up to `capacity` bytes into `buffer`; returns 0 only at end of file.
    func read(into buffer: UnsafeMutablePointer<UInt8>, capacity: Int) throws(ReaderError) -> Int {
        while true {
            let n = systemRead(fd, buffer, capacity)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw .cannotOpen(path: path, reason: Self.describe(errno))
        }
    }

    /// Fills `buffer` as far as the file allows (short reads retried); returns the byte count.
    func readFully(into buffer: UnsafeMutablePointer<UInt8>, capacity: Int) throws(ReaderError) -> Int {
        var total = 0
        while total < capacity {
            let n = try read(into: buffer + total, capacity: capacity - total)
            if n == 0 { break }
            total += n
        }
        return total
    }

    private static func describe(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}

/// `read(2)` under a name that the method `FileByteReader.read` does not shadow.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutablePointer<UInt8>, _ count: Int) -> Int {
    read(fd, buffer, count)
}
