package atrium.api.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import atrium.api.http.ApiException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BodiesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode body(String json) throws Exception {
    return JSON.readTree(json);
  }

  @Test
  void anOrdinaryPriceIsReadAsWrittenFromANumberOrAString() throws Exception {
    assertEquals(new BigDecimal("12.90"), Bodies.decimal(body("{\"price\":\"12.90\"}"), "price"));
    assertEquals(0, new BigDecimal("12.9").compareTo(Bodies.decimal(body("{\"price\":12.9}"), "price")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"1e999999999\"", "\"-1e999999999\"", "\"1e-999999999\"", "1e400", "\"1234567890123456789.5\""})
  void aDecimalOfAbsurdMagnitudeIsRefusedAtItsFieldBeforeAnythingWritesItOut(String literal) throws Exception {
    ApiException e = assertThrows(ApiException.class, () -> Bodies.decimal(body("{\"price\":" + literal + "}"), "price"));
    assertEquals(400, e.problem().status().code());
    assertEquals("$.price", e.problem().field());
  }
}
