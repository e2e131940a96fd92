package io.probity.support;

import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

import java.net.URL;
import java.nio.file.Path;
import java.util.List;

/**
 * Debian's headless Chromium driven by Playwright, for UI tests. The browser path comes from
 * {@code PROBITY_CHROMIUM} (default {@code /usr/bin/chromium}); Playwright never downloads one.
 */
public final class Browser implements AutoCloseable {

    private static final List<String> CHROMIUM_FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu",
            "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync");

    private final Playwright playwright;
    private final com.microsoft.playwright.Browser browser;
    private final String root;

    public Browser(URL root) {
        this.root = root.toString().replaceAll("/$", "");
        playwright = Playwright.create();
        String executable = System.getenv().getOrDefault("PROBITY_CHROMIUM", "/usr/bin/chromium");
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(Path.of(executable)).setHeadless(true).setArgs(CHROMIUM_FLAGS));
    }

    /** Opens a page in a fresh context, so no session is shared with other pages. */
    public Page newPage() {
        Page page = browser.newContext().newPage();
        page.setDefaultTimeout(30_000);
        return page;
    }

    /** Returns the absolute URL of an app path such as {@code audit?model=x}. */
    public String url(String path) {
        return root + "/" + path;
    }

    /** Signs in on the login page and waits until the overview shows. */
    public void logIn(Page page, String user, String password) {
        page.navigate(url("login"));
        page.locator("vaadin-login-form input[name='username']").fill(user);
        page.locator("vaadin-login-form input[name='password']").fill(password);
        page.locator("vaadin-login-form vaadin-button[slot='submit']").click();
        page.locator("#current-user").waitFor();
    }

    /** Saves a full-page screenshot under target/screenshots. */
    public static void screenshot(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions().setFullPage(true)
                .setPath(Path.of("target", "screenshots", name + ".png")));
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
