package io.probity.ui;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import io.probity.support.Accounts;
import io.probity.support.Browser;
import io.probity.support.TestData;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Drives the alerts page in headless Chromium as an ops user. */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlertsBrowserTest {

    @TestHTTPResource("/")
    URL root;

    private Browser browser;

    @BeforeAll
    void startBrowser() {
        browser = new Browser(root);
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void alertsPageShowsFiringAlert() {
        String model = TestData.uniqueModel("ui-alerts");
        for (String file : List.of("reference.ndjson", "shifted.ndjson")) {
            String body = TestData.withModel(TestData.lines("demo/digits/" + file), "digits-logreg", model);
            given().header("X-API-Key", TestData.API_KEY).contentType("application/x-ndjson")
                    .body(body.getBytes(StandardCharsets.UTF_8)).post("/api/v1/predictions").then().statusCode(200);
        }
        given().header("X-API-Key", TestData.API_KEY).contentType(ContentType.JSON)
                .body("{\"rules\": [{\"metric\": \"psi\", \"comparison\": \"above\", \"threshold\": 0.2, "
                        + "\"window\": \"PT24H\"}]}")
                .put("/api/v1/models/" + model + "/alert-rules").then().statusCode(200);
        for (int i = 0; i < 2; i++) {
            given().header("X-API-Key", TestData.API_KEY).queryParam("model", model)
                    .post("/api/v1/alerts/evaluate").then().statusCode(200);
        }

        String ops = Accounts.user("ops", List.of(model));
        Page page = browser.newPage();
        try {
            browser.logIn(page, ops, Accounts.PASSWORD);
            page.navigate(browser.url("alerts?model=" + model));
            Locator grid = page.locator("#alerts-grid");
            grid.getByText("firing").first().waitFor();
            assertTrue(grid.getByText("psi above 0.2 over PT24H").count() > 0, "rule column of the psi alert");
            String href = grid.locator("a").first().getAttribute("href");
            assertTrue(href.startsWith("models/" + model + "?version=2026.06&from="), href);
            assertTrue(page.locator("#alerts-editor").isVisible(), "ops users see the rule editor");

            grid.getByText("firing").first().click();
            page.locator("#alerts-transitions").getByText("pending → firing").waitFor();
        } finally {
            Browser.screenshot(page, "alertsPageShowsFiringAlert");
            page.context().close();
        }
    }
}
