package io.arbiter.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.problem.FieldError;
import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Bodies whose strings are not Unicode text (an escaped lone surrogate) are the client's error,
 * named by field, on every way a body is read; never a library failure that surfaces as a 5xx.
 */
class RequestBodiesTest {

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> fields(ProblemException e) {
    return e.errors().stream().map(FieldError::field).toList();
  }

  @Test
  void object_loneSurrogate_isAnInvalidRequestNamingTheField() {
    ProblemException e =
        assertThrows(
            ProblemException.class,
            () -> RequestBodies.object(utf8("{\"doc\": {\"notes\": [\"\\ud800\"]}}"), "a doc"));
    assertEquals(ProblemType.INVALID_REQUEST, e.type());
    assertEquals(List.of("doc.notes[0]"), fields(e));
    assertTrue(e.errors().get(0).message().contains("unpaired UTF-16 surrogate"));
  }

  @Test
  void optionalObject_loneSurrogate_isAnInvalidRequestNamingTheField() {
    ProblemException e =
        assertThrows(
            ProblemException.class,
            () ->
                RequestBodies.optionalObject(utf8("{\"reason\": \"x\\udfff\"}"), Set.of("reason")));
    assertEquals(ProblemType.INVALID_REQUEST, e.type());
    assertEquals(List.of("reason"), fields(e));
  }

  @Test
  void canonicalDigest_loneSurrogate_isAnInvalidRequestNamingTheField() {
    ProblemException e =
        assertThrows(
            ProblemException.class,
            () -> RequestBodies.canonicalDigest(utf8("{\"subject\": \"\\ud83d\"}")));
    assertEquals(ProblemType.INVALID_REQUEST, e.type());
    assertEquals(List.of("subject"), fields(e));
  }

  @Test
  void canonicalDigest_pairedSurrogates_areDigested() {
    assertEquals(
        RequestBodies.canonicalDigest(utf8("{\"s\": \"\\ud83d\\ude00\"}")),
        RequestBodies.canonicalDigest(utf8("{\"s\":\"\uD83D\uDE00\"}")));
  }
}
