import COpenSSL

/// OpenSSL's per-thread error queue, read into a reason string.
enum OpenSSLErrorQueue {
    /// Empties the calling thread's queue and returns the reason of its oldest entry (the root cause, such as
    /// `"wrong version number"`), or nil when it was empty.
    static func drain() -> String? {
        var first: String?
        for _ in 0..<64 {
            let code = ctgbot_ERR_get_error()
            if code == 0 { break }
            if first == nil {
                if let text = ctgbot_ERR_reason_error_string(code) {
                    first = String(cString: text)
                } else {
                    // No reason string (a wrapped errno in OpenSSL 3): the full "error:…:lib::reason" form.
                    var text = [CChar](repeating: 0, count: 256)
                    ctgbot_ERR_error_string_n(code, &text, text.count)
                    first = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                }
            }
        }
        ctgbot_ERR_clear_error()
        return first
    }
}
