package io.probity.alerts;

import org.junit.jupiter.api.Test;

import static io.probity.alerts.AlertState.FIRING;
import static io.probity.alerts.AlertState.OK;
import static io.probity.alerts.AlertState.PENDING;
import static io.probity.alerts.AlertState.RESOLVED;
import static org.junit.jupiter.api.Assertions.assertEquals;

class AlertStateTest {

    @Test
    void firstBreachIsPending() {
        assertEquals(PENDING, AlertState.next(OK, true, 1));
        assertEquals(PENDING, AlertState.next(RESOLVED, true, 1));
    }

    @Test
    void secondConsecutiveBreachFires() {
        assertEquals(FIRING, AlertState.next(PENDING, true, 2));
        assertEquals(FIRING, AlertState.next(FIRING, true, 7));
    }

    @Test
    void clearedConditionResolvesOrReturnsToOk() {
        assertEquals(OK, AlertState.next(PENDING, false, 0));
        assertEquals(RESOLVED, AlertState.next(FIRING, false, 0));
        assertEquals(OK, AlertState.next(OK, false, 0));
        assertEquals(RESOLVED, AlertState.next(RESOLVED, false, 0));
    }
}
