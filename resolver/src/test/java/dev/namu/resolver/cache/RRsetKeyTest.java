package dev.namu.resolver.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

class RRsetKeyTest {
  @Test
  void namesCompareWithoutCaseAndTypesApart() {
    RRsetKey lower = new RRsetKey(Name.fromConstantString("www.example."), Type.A);
    RRsetKey upper = new RRsetKey(Name.fromConstantString("WWW.Example."), Type.A);
    assertEquals(lower, upper);
    assertEquals(lower.hashCode(), upper.hashCode());
    assertNotEquals(lower, new RRsetKey(Name.fromConstantString("www.example."), Type.AAAA));
    assertNotEquals(lower, new RRsetKey(Name.fromConstantString("www2.example."), Type.A));
    assertNotEquals(lower, (Object) "www.example.");
  }
}
