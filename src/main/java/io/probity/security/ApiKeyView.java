package io.probity.security;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * An API key as listed by the admin API and screen. {@code secret} is present only in the response
 * to the request that created the key; afterwards only {@code secretPrefix} identifies it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiKeyView(long id, String name, List<String> scope, List<String> models, String createdBy,
                         OffsetDateTime createdAt, OffsetDateTime lastUsedAt, OffsetDateTime expiresAt,
                         OffsetDateTime revokedAt, String revokedBy, String secretPrefix, String secret) {

    static ApiKeyView of(ApiKeyEntity key, String secret) {
        return new ApiKeyView(key.id, key.name, key.scopes, key.models, key.createdBy, key.createdAt, key.lastUsedAt,
                key.expiresAt, key.revokedAt, key.revokedBy, key.secretPrefix, secret);
    }
}
