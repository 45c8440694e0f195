/// Formatting rules of the Prometheus text exposition format 0.0.4.
enum PrometheusText {
    /// HELP text: backslash and line feed escaped.
    static func escapeHelp(_ text: String) -> String {
        guard text.contains(where: { $0 == "\\" || $0 == "\n" }) else { return text }
        var escaped = ""
        for character in text {
            switch character {
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// A label value: backslash, double quote and line feed escaped.
    static func escapeLabelValue(_ text: String) -> String {
        guard text.contains(where: { $0 == "\\" || $0 == "\n" || $0 == "\"" }) else { return text }
        var escaped = ""
        for character in text {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// `{a="x",b="y"}`, or nothing without labels.
    static func labels(_ names: [String], _ values: [String]) -> String {
        guard !names.isEmpty else { return "" }
        var text = "{"
        for (index, name) in names.enumerated() {
            if index > 0 { text += "," }
            text += "\(name)=\"\(escapeLabelValue(index < values.count ? values[index] : ""))\""
        }
        return text + "}"
    }

    /// A sample value: integral values without a fraction (`3`), `+Inf`, `-Inf`, `NaN`, otherwise Swift's
    /// shortest round-tripping form (`0.005`).
    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 9_007_199_254_740_992 { return String(Int64(value)) }
        return "\(value)"
    }

    /// One sample line.
    static func line(_ name: String, _ labelNames: [String], _ labelValues: [String], _ value: String) -> String {
        "\(name)\(labels(labelNames, labelValues)) \(value)\n"
    }
}
