package io.probity.review;

import io.probity.support.Accounts;
import io.probity.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;

/** Review routes limit a reviewer with a model list to the items of those models. */
@QuarkusTest
class ReviewModelAccessTest {

    @Test
    void otherModelsItemsHidden() {
        String mine = TestData.uniqueModel("mine");
        String other = TestData.uniqueModel("other");
        String third = TestData.uniqueModel("third");
        ReviewFixtures.ingest(ReviewFixtures.lowConfidence(mine, "m", 2));
        ReviewFixtures.ingest(ReviewFixtures.lowConfidence(other, "o", 2));
        long otherItem = ((Number) ReviewFixtures.as("setup").get("/api/v1/review/items?model=" + other)
                .then().statusCode(200).extract().path("[0].id")).longValue();

        String reviewer = Accounts.user("reviewer", List.of(mine));
        // Without a model filter, a reviewer of one model gets that model's queue only.
        Accounts.asUser(reviewer).get("/api/v1/review/items")
                .then().statusCode(200)
                .body("", hasSize(2))
                .body("model", everyItem(equalTo(mine)));
        Accounts.asUser(reviewer).get("/api/v1/review/summary")
                .then().statusCode(200)
                .body("queue.countsByState.open", equalTo(2));

        // An item of another model is missing for every route that takes its id.
        Accounts.asUser(reviewer).get("/api/v1/review/items/" + otherItem).then().statusCode(404);
        Accounts.asUser(reviewer).get("/api/v1/review/items/" + otherItem + "/history").then().statusCode(404);
        Accounts.asUser(reviewer).post("/api/v1/review/items/" + otherItem + "/claim").then().statusCode(404);
        Accounts.asUser(reviewer).contentType("application/json").body("{\"label\":\"a\"}")
                .post("/api/v1/review/items/" + otherItem + "/resolve").then().statusCode(404);
        Accounts.asUser(reviewer).contentType("application/json").body("{}")
                .post("/api/v1/review/items/" + otherItem + "/skip").then().statusCode(404);
        Accounts.asUser(reviewer).contentType("application/json").body("{}")
                .post("/api/v1/review/items/" + otherItem + "/escalate").then().statusCode(404);
        ReviewFixtures.as("setup").get("/api/v1/review/items/" + otherItem)
                .then().statusCode(200).body("state", equalTo("open"));

        // Claiming the next item without a model stays within the reviewer's model.
        Accounts.asUser(reviewer).post("/api/v1/review/claim")
                .then().statusCode(200).body("model", equalTo(mine));

        // A reviewer of two models names one of them.
        String twoModels = Accounts.user("reviewer", List.of(mine, third));
        Accounts.asUser(twoModels).get("/api/v1/review/items")
                .then().statusCode(400)
                .body("message", containsString("send model= with one of them"));
        Accounts.asUser(twoModels).get("/api/v1/review/items?model=" + mine)
                .then().statusCode(200).body("", hasSize(2));
    }
}
