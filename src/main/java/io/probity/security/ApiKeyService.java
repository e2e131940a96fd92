package io.probity.security;

import io.probity.api.ApiException;
import io.probity.api.FieldError;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * API keys created by admins: creation (the secret is returned once and stored only as its
 * SHA-256 digest), listing, revocation, and authentication of a presented secret. Bootstrap
 * keys from {@code PROBITY_API_KEYS} are checked by {@link ApiKeys} instead.
 *
 * <p>SHA-256 without salt suits these secrets because each has 192 random bits; a slow hash
 * such as bcrypt is for low-entropy passwords.
 */
@ApplicationScoped
public class ApiKeyService {

    private static final Logger LOG = Logger.getLogger(ApiKeyService.class);
    private static final String SECRET_PREFIX = "pbk_";
    /** A key's last-used time is written at most this often, so reads do not cost a write each. */
    private static final Duration LAST_USED_RESOLUTION = Duration.ofMinutes(1);
    private final SecureRandom random = new SecureRandom();

    @Inject
    SecurityLog securityLog;

    /** Creates a key and returns it with its secret, the only time the secret is available. */
    @Transactional
    public ApiKeyView create(ApiKeyRequest request, String actor, String address) {
        if (request == null) {
            throw ApiException.badRequest("Request body is empty; send {name, scope, models, expiresAt}");
        }
        if (request.name() == null || request.name().isBlank() || request.name().length() > 100) {
            throw field("name", "is missing or longer than 100 characters; name the client that uses the key");
        }
        if (request.scope() == null || request.scope().isEmpty()) {
            throw field("scope", "is empty; send one or more of " + Principal.SCOPES);
        }
        for (String scope : request.scope()) {
            if (!Principal.SCOPES.contains(scope)) {
                throw field("scope", "\"" + scope + "\" is not a scope; use " + Principal.SCOPES);
            }
        }
        if (request.models() != null && request.models().stream().anyMatch(m -> m == null || m.isBlank())) {
            throw field("models", "contains an empty name; list model names, or send [] or nothing for every model");
        }
        OffsetDateTime expiresAt = null;
        if (request.expiresAt() != null) {
            try {
                expiresAt = OffsetDateTime.parse(request.expiresAt());
            } catch (DateTimeParseException e) {
                throw field("expiresAt", "\"" + request.expiresAt() + "\" is not ISO-8601 with an offset; send for example "
                        + "2027-01-01T00:00:00Z");
            }
            if (!expiresAt.isAfter(OffsetDateTime.now())) {
                throw field("expiresAt", "is in the past; send a future time or leave it out");
            }
        }

        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String secret = SECRET_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);

        ApiKeyEntity key = new ApiKeyEntity();
        key.name = request.name();
        key.secretSha256 = ApiKeys.sha256(secret);
        key.secretPrefix = secret.substring(0, SECRET_PREFIX.length() + 6);
        key.scopes = List.copyOf(Set.copyOf(request.scope()));
        key.models = request.models() == null || request.models().isEmpty() ? null : List.copyOf(request.models());
        key.createdBy = actor;
        key.expiresAt = expiresAt;
        key.persist();
        key.flush();
        ApiKeyEntity.getEntityManager().refresh(key);

        Map<String, Object> details = new LinkedHashMap<>();
        details.put("name", key.name);
        details.put("scope", key.scopes);
        details.put("models", key.models);
        details.put("expiresAt", expiresAt == null ? null : expiresAt.toString());
        securityLog.record(actor, address, "api-key-created", "api-key:" + key.id, details);
        LOG.infof("API key %d (%s) created by %s with scope %s", key.id, key.name, actor, key.scopes);
        ApiKeyEntity stored = ApiKeyEntity.findById(key.id);
        return ApiKeyView.of(stored, secret);
    }

    /** Lists every key, newest first, without secrets. */
    @Transactional
    public List<ApiKeyView> list() {
        return ApiKeyEntity.<ApiKeyEntity>listAll(io.quarkus.panache.common.Sort.descending("id")).stream()
                .map(key -> ApiKeyView.of(key, null)).toList();
    }

    /** Revokes a key at once; revoking a revoked key changes nothing. */
    @Transactional
    public ApiKeyView revoke(long id, String actor, String address) {
        ApiKeyEntity key = ApiKeyEntity.findById(id);
        if (key == null) {
            throw ApiException.notFound("API key " + id + " does not exist; list keys with GET /api/v1/admin/api-keys");
        }
        if (key.revokedAt == null) {
            key.revokedAt = OffsetDateTime.now();
            key.revokedBy = actor;
            securityLog.record(actor, address, "api-key-revoked", "api-key:" + id, Map.of("name", key.name));
            LOG.infof("API key %d (%s) revoked by %s", id, key.name, actor);
        }
        return ApiKeyView.of(key, null);
    }

    /** Returns the principal of a valid, unexpired, unrevoked key secret, or empty. */
    @Transactional
    public Optional<Principal> authenticate(String secret) {
        if (secret == null || !secret.startsWith(SECRET_PREFIX)) {
            return Optional.empty();
        }
        ApiKeyEntity key = ApiKeyEntity.find("secretSha256", (Object) ApiKeys.sha256(secret)).firstResult();
        OffsetDateTime now = OffsetDateTime.now();
        if (key == null || key.revokedAt != null || (key.expiresAt != null && !key.expiresAt.isAfter(now))) {
            return Optional.empty();
        }
        if (key.lastUsedAt == null || key.lastUsedAt.plus(LAST_USED_RESOLUTION).isBefore(now)) {
            key.lastUsedAt = now;
        }
        return Optional.of(new Principal("api-key:" + key.id + ":" + key.name, Principal.Kind.API_KEY, Set.of(),
                Set.copyOf(key.scopes), key.models == null ? null : Set.copyOf(key.models)));
    }

    private static ApiException field(String field, String message) {
        return new ApiException(400, "invalid-field", field + " " + message, List.of(new FieldError(field, message)));
    }
}
