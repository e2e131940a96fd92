package io.probity.security;

/** Roles of Probity users; each later role includes the rights of the ones before it. */
public final class Role {

    public static final String ANALYST = "analyst";
    public static final String REVIEWER = "reviewer";
    public static final String OPS = "ops";
    public static final String ADMIN = "admin";

    private Role() {
    }
}
