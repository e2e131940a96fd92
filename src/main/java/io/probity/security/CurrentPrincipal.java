package io.probity.security;

import jakarta.enterprise.context.RequestScoped;

/** The authenticated principal of the current REST request, set by {@link ApiAuthFilter}. */
@RequestScoped
public class CurrentPrincipal {

    private Principal principal;
    private String address;

    public Principal get() {
        if (principal == null) {
            throw new IllegalStateException("No authenticated principal in this request");
        }
        return principal;
    }

    /** Returns the client address of the request, for the security log. */
    public String address() {
        return address;
    }

    void set(Principal principal, String address) {
        this.principal = principal;
        this.address = address;
    }
}
