package io.probity.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.router.Location;
import com.vaadin.flow.router.QueryParameters;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Keeps a view's filter state in the browser URL without a new navigation, so it can be shared by link. */
final class UrlState {

    private UrlState() {
    }

    /** Replaces the current URL with {@code path} and the present filter values as query parameters. */
    static void replace(Component view, String path, Map<String, Optional<String>> filters) {
        Map<String, String> present = new LinkedHashMap<>();
        new TreeMap<>(filters).forEach((name, value) -> value.ifPresent(v -> present.put(name, v)));
        Location location = new Location(path, QueryParameters.simple(present));
        view.getUI().ifPresent(ui -> ui.getPage().getHistory().replaceState(null, location));
    }
}
