package dev.switchboard.providers.bedrock;

import java.util.Map;

/**
 * The outcome of signing one request: the headers to add to it, plus the intermediate texts
 * (canonical request, string to sign) so tests and debugging can compare them with AWS's.
 * {@link #toString()} shows header names only: the session token is a credential.
 */
public record SigV4Signature(
        String canonicalRequest, String stringToSign, String signature, Map<String, String> headersToAdd) {
    public SigV4Signature {
        headersToAdd = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(headersToAdd));
    }

    public String authorization() {
        return headersToAdd.get("Authorization");
    }

    @Override
    public String toString() {
        return "SigV4Signature{signature=" + signature + ", headers=" + headersToAdd.keySet() + "}";
    }
}
