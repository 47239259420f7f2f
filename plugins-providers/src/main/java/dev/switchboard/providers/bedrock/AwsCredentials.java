package dev.switchboard.providers.bedrock;

import java.util.Objects;

/**
 * An AWS access key pair with an optional STS session token. {@link #toString()} shows only the
 * access key id: the secret and the token never leave this object except into a signature.
 *
 * <pre>{@code
 * AwsCredentials creds = new AwsCredentials("AKIDEXAMPLE", secret, null);
 * }</pre>
 */
public record AwsCredentials(String accessKeyId, String secretAccessKey, String sessionToken) {
    public AwsCredentials {
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        if (sessionToken != null && sessionToken.isBlank()) {
            sessionToken = null;
        }
    }

    public boolean hasSessionToken() {
        return sessionToken != null;
    }

    @Override
    public String toString() {
        return "AwsCredentials{" + accessKeyId + (sessionToken == null ? "" : ", with session token") + "}";
    }
}
