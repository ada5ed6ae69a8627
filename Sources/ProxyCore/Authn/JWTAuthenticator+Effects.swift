extension JWTAuthenticator {
    /// A good token: Envoy's `handleGoodJwt` effects.
    mutating func accept(_ token: JWTToken, _ location: JWTProviderConfig.Location, provider: JWTProviderConfig, payloads: inout [String: MetadataValue]) {
        if !provider.forwardPayloadHeader.isEmpty {
            let value = provider.padForwardPayloadHeader ? Base64URL.padded(token.payloadSegment) : token.payloadSegment
            appendLine(provider.forwardPayloadHeader, value)
        }
        if case .structValue(let claims) = token.payload {
            for mapping in provider.claimToHeaders {
                guard let value = claims[mapping.claim], let text = Self.headerText(value) else { continue }
                appendLine(mapping.header, Array(text.utf8))
            }
        }
        if !provider.forward, case .header(let name, _) = location { result.removedHeaders.append(name) }
        if !provider.payloadInMetadata.isEmpty {
            payloads[provider.payloadInMetadata] = Self.normalized(token.payload, spaceDelimited: provider.spaceDelimitedClaims)
        }
    }

    private mutating func appendLine(_ name: [UInt8], _ value: [UInt8]) {
        result.addedLines += name + Array(": ".utf8) + value + Array("\r\n".utf8)
    }

    /// Claims Envoy copies to headers: strings, numbers (integers without a
    /// fraction), booleans.
    static func headerText(_ value: MetadataValue) -> String? {
        switch value {
        case .string(let text): return text.isEmpty ? nil : text
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let number):
            if number.rounded(.towardZero) == number, abs(number) < 9.2e18 { return String(Int64(number)) }
            return String(number)
        default: return nil
        }
    }

    /// `normalize_payload_in_metadata`: space-delimited string claims become lists.
    static func normalized(_ payload: MetadataValue, spaceDelimited: [String]) -> MetadataValue {
        guard !spaceDelimited.isEmpty, case .structValue(var claims) = payload else { return payload }
        for name in spaceDelimited {
            guard case .string(let text)? = claims[name] else { continue }
            claims[name] = .list(text.split(separator: " ").map { .string(String($0)) })
        }
        return .structValue(claims)
    }

    /// Tokens at `locations`, in Envoy's extraction order (headers, then query
    /// parameters, then cookies), each with where it was found.
    func extract(_ locations: [JWTProviderConfig.Location]) -> [(token: [UInt8], location: JWTProviderConfig.Location)] {
        var found: [(token: [UInt8], location: JWTProviderConfig.Location)] = []
        for location in locations {
            guard case .header(let name, let prefix) = location else { continue }
            for field in request.fields where ASCII.equalsLowercased(field.name.bytes(in: request.bytes), name) {
                let value = Array(field.value.bytes(in: request.bytes))
                if let token = Self.token(in: value, after: prefix) { found.append((token, location)) }
            }
        }
        for location in locations {
            guard case .queryParameter(let name) = location, let value = queryParameter(name) else { continue }
            found.append((value, location))
        }
        for location in locations {
            guard case .cookie(let name) = location, let value = cookie(name) else { continue }
            found.append((value, location))
        }
        return found
    }

    /// The JWT in a header value: after the prefix, the first run of base64url
    /// characters and dots (Envoy's `extractJWT`).
    static func token(in value: [UInt8], after prefix: [UInt8]) -> [UInt8]? {
        var start = 0
        if !prefix.isEmpty {
            guard let range = firstRange(of: prefix, in: value) else { return nil }
            start = range
        }
        while start < value.count, !isTokenByte(value[start]) { start += 1 }
        var end = start
        while end < value.count, isTokenByte(value[end]) { end += 1 }
        return end > start ? Array(value[start..<end]) : nil
    }

    private static func firstRange(of pattern: [UInt8], in value: [UInt8]) -> Int? {
        guard value.count >= pattern.count else { return nil }
        for offset in 0...(value.count - pattern.count) where value[offset..<(offset + pattern.count)].elementsEqual(pattern) {
            return offset + pattern.count
        }
        return nil
    }

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): return true
        case UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "/"): return true
        default: return false
        }
    }

    /// The first value of a query parameter, percent-decoded.
    func queryParameter(_ name: String) -> [UInt8]? {
        let path = Array(request.pathBytes)
        guard let question = path.firstIndex(of: UInt8(ascii: "?")) else { return nil }
        let query = path[(question + 1)...].prefix { $0 != UInt8(ascii: "#") }
        for pair in query.split(separator: UInt8(ascii: "&")) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            guard Self.percentDecoded(parts[0]) == Array(name.utf8) else { continue }
            return parts.count > 1 ? Self.percentDecoded(parts[1]) : []
        }
        return nil
    }

    /// The value of a cookie (first match across Cookie headers, quotes removed).
    func cookie(_ name: String) -> [UInt8]? {
        for field in request.fields where ASCII.equalsLowercased(field.name.bytes(in: request.bytes), Self.cookieName) {
            for item in Array(field.value.bytes(in: request.bytes)).split(separator: UInt8(ascii: ";")) {
                let trimmed = item.drop { $0 == 0x20 }
                let parts = trimmed.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
                guard parts.count == 2, parts[0].elementsEqual(name.utf8) else { continue }
                var value = Array(parts[1])
                if value.count >= 2, value.first == UInt8(ascii: "\""), value.last == UInt8(ascii: "\"") { value = Array(value.dropFirst().dropLast()) }
                return value
            }
        }
        return nil
    }

    static let cookieName = Array("cookie".utf8)

    static func percentDecoded(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        var index = bytes.startIndex
        while index < bytes.endIndex {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.endIndex,
               let high = URLPathCanonicalizer.hexValue(bytes[index + 1]), let low = URLPathCanonicalizer.hexValue(bytes[index + 2]) {
                output.append(high << 4 | low)
                index += 3
            } else {
                output.append(bytes[index] == UInt8(ascii: "+") ? 0x20 : bytes[index])
                index += 1
            }
        }
        return output
    }
}
