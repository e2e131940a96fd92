package io.probity.security;

import io.probity.api.ApiException;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.mindrot.jbcrypt.BCrypt;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * User accounts: login with throttling, and the admin operations on users.
 *
 * <p>Users live in PostgreSQL with bcrypt password hashes (cost {@value #BCRYPT_COST}). The
 * bootstrap {@code admin} account comes from {@code probity.admin.password} (env
 * {@code PROBITY_ADMIN_PASSWORD}) as long as no stored user is named {@code admin}; when no
 * password is configured, a random one is generated at start and logged once.
 */
@ApplicationScoped
public class UserService {

    private static final Logger LOG = Logger.getLogger(UserService.class);
    public static final String BOOTSTRAP_ADMIN = "admin";
    static final int BCRYPT_COST = 11;
    static final int MIN_PASSWORD_LENGTH = 10;

    @ConfigProperty(name = "probity.admin.password")
    Optional<String> configuredPassword;

    @Inject
    LoginThrottle throttle;

    @Inject
    SecurityLog securityLog;

    private byte[] adminPasswordDigest;

    void onStart(@Observes StartupEvent event) {
        String password = configuredPassword.filter(p -> !p.isBlank()).orElse(null);
        if (password == null) {
            byte[] random = new byte[18];
            new SecureRandom().nextBytes(random);
            password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            LOG.infof("No PROBITY_ADMIN_PASSWORD set: generated password for user admin: %s "
                    + "(shown once; set PROBITY_ADMIN_PASSWORD to choose your own)", password);
        }
        adminPasswordDigest = ApiKeys.sha256(password);
    }

    /**
     * Checks a name and password, applying the login throttle, and records the attempt in the
     * security log.
     *
     * @param address     the client address, for throttling and the log
     * @param interactive true for a UI login, whose success is logged. False for HTTP Basic on an API
     *                    call, where only failures are logged, so every call does not add an event
     * @return the user, or empty when the login failed or the name or address is locked
     */
    @Transactional
    public Optional<CurrentUser> authenticate(String name, String password, String address, boolean interactive) {
        String shownName = name == null ? "" : (name.length() > 64 ? name.substring(0, 64) : name);
        Optional<java.time.Duration> lock = throttle.lockRemaining(shownName, address);
        if (lock.isPresent()) {
            securityLog.record(shownName, address, "login-rejected-locked", shownName,
                    Map.of("lockSecondsLeft", lock.get().toSeconds()));
            return Optional.empty();
        }

        Optional<CurrentUser> user = check(shownName, password);
        if (user.isPresent()) {
            throttle.recordSuccess(shownName);
            if (interactive) {
                securityLog.record(shownName, address, "login", shownName, null);
            }
            return user;
        }

        LoginThrottle.FailureOutcome outcome = throttle.recordFailure(shownName, address);
        securityLog.record(shownName, address, "login-failed", shownName, null);
        if (outcome.lockStarted()) {
            LOG.warnf("Login locked for user name %s or address %s after repeated failures", shownName, address);
            securityLog.record(shownName, address, "login-locked", shownName, null);
        }
        sleep(outcome.delay());
        return Optional.empty();
    }

    private Optional<CurrentUser> check(String name, String password) {
        if (name.isEmpty() || password == null) {
            return Optional.empty();
        }
        Optional<AppUser> stored = AppUser.findByName(name);
        if (stored.isPresent()) {
            AppUser user = stored.get();
            if (!user.enabled || !BCrypt.checkpw(password, user.passwordHash)) {
                return Optional.empty();
            }
            return Optional.of(new CurrentUser(user.name, Set.copyOf(user.roles),
                    user.models == null ? null : Set.copyOf(user.models)));
        }
        if (BOOTSTRAP_ADMIN.equals(name) && adminPasswordDigest != null
                && MessageDigest.isEqual(adminPasswordDigest, ApiKeys.sha256(password))) {
            return Optional.of(new CurrentUser(BOOTSTRAP_ADMIN, Set.of(Role.ADMIN), null));
        }
        return Optional.empty();
    }

    /** Lists stored users by name; the bootstrap admin is not stored and not listed. */
    @Transactional
    public List<UserView> list() {
        return AppUser.<AppUser>listAll(io.quarkus.panache.common.Sort.by("name")).stream().map(UserView::of).toList();
    }

    /** Creates a user; 400 for an invalid field, 409 when the name is taken. */
    @Transactional
    public UserView create(UserRequest request, String actor, String address) {
        if (request == null) {
            throw ApiException.badRequest("Request body is empty; send {name, password, roles, models}");
        }
        String name = request.name();
        if (name == null || !name.matches("[A-Za-z0-9._@-]{1,64}")) {
            throw field("name", "\"" + name + "\" is not a valid user name; use 1 to 64 letters, digits, '.', '_', '@' or '-'");
        }
        if (BOOTSTRAP_ADMIN.equals(name)) {
            throw new ApiException(409, "conflict", "User name admin is reserved for the bootstrap account, whose "
                    + "password comes from PROBITY_ADMIN_PASSWORD; choose another name and give it the admin role");
        }
        if (AppUser.findByName(name).isPresent()) {
            throw new ApiException(409, "conflict", "User " + name + " already exists; change it with PATCH /api/v1/admin/users/" + name);
        }
        checkPassword(request.password());
        List<String> roles = checkRoles(request.roles() == null ? List.of(Role.ANALYST) : request.roles());
        List<String> models = checkModels(request.models());

        AppUser user = new AppUser();
        user.name = name;
        user.passwordHash = BCrypt.hashpw(request.password(), BCrypt.gensalt(BCRYPT_COST));
        user.roles = roles;
        user.models = models;
        user.enabled = request.enabled() == null || request.enabled();
        user.updatedAt = OffsetDateTime.now();
        user.persist();
        user.flush();
        AppUser.getEntityManager().refresh(user);

        Map<String, Object> details = new LinkedHashMap<>();
        details.put("roles", roles);
        details.put("models", models);
        details.put("enabled", user.enabled);
        securityLog.record(actor, address, "user-created", name, details);
        LOG.infof("User %s created by %s with roles %s", name, actor, roles);
        return UserView.of(AppUser.findByName(name).orElseThrow());
    }

    /** Changes roles, models, the enabled flag or the password of a user; absent fields stay. */
    @Transactional
    public UserView update(String name, UserRequest patch, String actor, String address) {
        if (patch == null) {
            throw ApiException.badRequest("Request body is empty; send the fields to change");
        }
        AppUser user = AppUser.findByName(name).orElseThrow(() -> ApiException.notFound(
                "User " + name + " does not exist; list users with GET /api/v1/admin/users"));
        Map<String, Object> before = new LinkedHashMap<>();
        Map<String, Object> after = new LinkedHashMap<>();
        if (patch.roles() != null) {
            before.put("roles", user.roles);
            user.roles = checkRoles(patch.roles());
            after.put("roles", user.roles);
        }
        if (patch.models() != null) {
            before.put("models", user.models);
            user.models = checkModels(patch.models());
            after.put("models", user.models);
        }
        if (patch.enabled() != null) {
            before.put("enabled", user.enabled);
            user.enabled = patch.enabled();
            after.put("enabled", user.enabled);
        }
        if (patch.password() != null) {
            checkPassword(patch.password());
            user.passwordHash = BCrypt.hashpw(patch.password(), BCrypt.gensalt(BCRYPT_COST));
            after.put("password", "reset");
        }
        user.updatedAt = OffsetDateTime.now();
        securityLog.record(actor, address, "user-updated", name, Map.of("before", before, "after", after));
        LOG.infof("User %s changed by %s: %s", name, actor, after.keySet());
        return UserView.of(user);
    }

    /** Changes a stored user's own password after checking the current one. */
    @Transactional
    public void changeOwnPassword(String name, String currentPassword, String newPassword, String address) {
        AppUser user = AppUser.findByName(name).orElseThrow(() -> ApiException.badRequest(
                "User " + name + " is the bootstrap account; set PROBITY_ADMIN_PASSWORD to change its password"));
        if (currentPassword == null || !BCrypt.checkpw(currentPassword, user.passwordHash)) {
            securityLog.record(name, address, "password-change-failed", name, null);
            throw field("currentPassword", "is wrong; enter your current password");
        }
        checkPassword(newPassword);
        user.passwordHash = BCrypt.hashpw(newPassword, BCrypt.gensalt(BCRYPT_COST));
        user.updatedAt = OffsetDateTime.now();
        securityLog.record(name, address, "password-changed", name, null);
    }

    private static void checkPassword(String password) {
        if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
            throw field("password", "must have at least " + MIN_PASSWORD_LENGTH + " characters");
        }
        if (password.length() > 72) {
            throw field("password", "must have at most 72 characters, the limit of bcrypt");
        }
    }

    private static List<String> checkRoles(List<String> roles) {
        if (roles.isEmpty()) {
            throw field("roles", "is empty; send at least one of " + Role.ORDER);
        }
        for (String role : roles) {
            if (Role.rank(role) < 0) {
                throw field("roles", "\"" + role + "\" is not a role; use one of " + Role.ORDER);
            }
        }
        return List.copyOf(new HashSet<>(roles));
    }

    private static List<String> checkModels(List<String> models) {
        if (models == null) {
            return null;
        }
        if (models.isEmpty()) {
            return null;
        }
        if (models.stream().anyMatch(m -> m == null || m.isBlank())) {
            throw field("models", "contains an empty name; list model names, or send [] for every model");
        }
        return List.copyOf(models);
    }

    private static ApiException field(String field, String message) {
        return new ApiException(400, "invalid-field", field + " " + message,
                List.of(new io.probity.api.FieldError(field, message)));
    }

    private static void sleep(java.time.Duration delay) {
        if (delay.isZero()) {
            return;
        }
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
