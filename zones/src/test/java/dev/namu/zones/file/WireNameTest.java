package dev.namu.zones.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

/** A name made from its wire form by {@link WireName} is the one dnsjava reads from the same bytes. */
class WireNameTest {

  private static VarHandle field(String name, Class<?> type) throws ReflectiveOperationException {
    return MethodHandles.privateLookupIn(Name.class, MethodHandles.lookup())
        .findVarHandle(Name.class, name, type);
  }

  @Test
  void everyFieldIsWhatDnsjavaReads() throws Exception {
    assertTrue(WireName.direct(), "dnsjava's Name fields cannot be reached: the fast path is off");
    VarHandle bytes = field("name", byte[].class);
    VarHandle offsets = field("offsets", long.class);
    VarHandle labels = field("labels", int.class);
    Random random = new Random(20261206L);
    String alphabet = "abcXYZ019-_*";
    int checked = 0;
    for (int n = 0; n < 20_000; n++) {
      ByteArrayOutputStream wire = new ByteArrayOutputStream();
      // 0 to 30 labels (a name of 127 one-byte labels is the longest; 30 passes the 8 kept offsets)
      int count = n < 40 ? n % 31 : random.nextInt(31);
      for (int l = 0; l < count; l++) {
        int len = 1 + random.nextInt(random.nextBoolean() ? 5 : 63);
        if (wire.size() + 1 + len > 254) {
          break;
        }
        wire.write(len);
        for (int k = 0; k < len; k++) {
          wire.write(alphabet.charAt(random.nextInt(alphabet.length())));
        }
      }
      wire.write(0);
      byte[] b = wire.toByteArray();
      byte[] padded = new byte[b.length + 7]; // the caller's buffer is longer than the name
      System.arraycopy(b, 0, padded, 0, b.length);
      Name expected = new Name(b);
      Name made = WireName.of(padded, b.length);
      assertArrayEquals((byte[]) bytes.get(expected), (byte[]) bytes.get(made));
      assertEquals((long) offsets.get(expected), (long) offsets.get(made), expected::toString);
      assertEquals((int) labels.get(expected), (int) labels.get(made), expected::toString);
      assertEquals(expected.toString(), made.toString());
      assertEquals(expected, made);
      assertEquals(expected.hashCode(), made.hashCode());
      assertEquals(0, expected.compareTo(made));
      for (int l = 0; l < expected.labels(); l++) {
        assertArrayEquals(expected.getLabel(l), made.getLabel(l));
      }
      if (expected.labels() > 1) {
        assertEquals(new Name(expected, 1), new Name(made, 1));
        assertEquals(new Name(expected, expected.labels() - 1).toString(),
            new Name(made, made.labels() - 1).toString());
      }
      checked++;
    }
    assertEquals(20_000, checked);
  }
}
