/// Size limits the parser enforces while reading a request.
public struct HTTPParserLimits: Sendable, Equatable {
    /// The longest request line accepted; longer gets 414. Default 8 KiB.
    public var maxRequestLineBytes: Int = 8 * 1024
    /// The largest header section (request line, fields and the blank line); larger gets 431. Default 16 KiB.
    public var maxHeaderBytes: Int = 16 * 1024
    /// The most header fields accepted; more gets 431. Default 100.
    public var maxHeaderCount: Int = 100
    /// The largest content accepted, after de-chunking; larger gets 413. Default 1 MiB.
    public var maxBodyBytes: Int = 1024 * 1024

    /// Creates limits; every argument has the default listed on its property.
    public init(
        maxRequestLineBytes: Int = 8 * 1024, maxHeaderBytes: Int = 16 * 1024, maxHeaderCount: Int = 100,
        maxBodyBytes: Int = 1024 * 1024
    ) {
        self.maxRequestLineBytes = maxRequestLineBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
        self.maxBodyBytes = maxBodyBytes
    }
}
