package dev.monkeytown.kit.params;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.ws.rs.BadRequestException;

import org.junit.jupiter.api.Test;

class QueryParamsTest {

    @Test
    void aNumberInRangeIsReadAndAMissingOneTakesItsDefault() {
        assertEquals(7, QueryParams.limit(" 7 ", 100, 20));
        assertEquals(20, QueryParams.limit(null, 100, 20));
        assertEquals(0, QueryParams.wholeNumber("from", "0", 0, Long.MAX_VALUE, -1));
    }

    @Test
    void anythingElseIsABadRequestNamingTheParameterAndItsRange() {
        for (String bad : new String[]{"0", "101", "-3", "ten", "", "9999999999999999999999", "1e3"}) {
            BadRequestException refused = assertThrows(BadRequestException.class, () -> QueryParams.limit(bad, 100, 20));
            assertEquals("limit must be a whole number from 1 to 100, was '" + bad + "'", refused.getMessage());
        }
        BadRequestException negative = assertThrows(BadRequestException.class,
                () -> QueryParams.wholeNumber("from", "-1", 0, Long.MAX_VALUE, -1));
        assertEquals("from must be a whole number of 0 or more, was '-1'", negative.getMessage());
    }
}
