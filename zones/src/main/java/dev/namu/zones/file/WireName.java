package dev.namu.zones.file;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import org.xbill.DNS.Name;

/**
 * Makes a dnsjava {@link Name} from the wire form of an absolute name the caller has checked
 * (labels of 1 to 63 bytes, 255 bytes in all, the root label last), with one array copy.
 *
 * <p>{@code new Name(byte[])} reads the bytes through a {@code DNSInput} and grows the name's
 * array label by label: in the load of a million-record zone that was a sixth of the main
 * thread's time, for the owner names alone. Here the name's three fields are set as dnsjava sets
 * them (the bytes; the offsets of labels 1 to 8, a byte each in one long; the label count), so
 * the Name is the same in every respect; {@code WireNameTest} compares the fields with dnsjava's
 * own reading. Where the fields cannot be reached (another dnsjava, a module setup that forbids
 * it), it falls back to {@code new Name(byte[])}, as {@link TokenizerLines} does.
 */
final class WireName {

  /** dnsjava keeps the offsets of labels 1 to 8 (label 0 starts at 0; the rest are walked to). */
  private static final int STORED_OFFSETS = 8;

  private static final MethodHandle NEW_NAME;
  private static final VarHandle BYTES;
  private static final VarHandle OFFSETS;
  private static final VarHandle LABELS;

  static {
    MethodHandle newName = null;
    VarHandle bytes = null;
    VarHandle offsets = null;
    VarHandle labels = null;
    try {
      MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(Name.class, MethodHandles.lookup());
      newName = lookup.findConstructor(Name.class, MethodType.methodType(void.class));
      bytes = lookup.findVarHandle(Name.class, "name", byte[].class);
      offsets = lookup.findVarHandle(Name.class, "offsets", long.class);
      labels = lookup.findVarHandle(Name.class, "labels", int.class);
    } catch (ReflectiveOperationException | RuntimeException e) {
      newName = null;
    }
    NEW_NAME = newName;
    BYTES = bytes;
    OFFSETS = offsets;
    LABELS = labels;
  }

  private WireName() {}

  /** True when names are made by setting their fields (false: through {@code new Name(byte[])}). */
  static boolean direct() {
    return NEW_NAME != null;
  }

  /** The name whose checked wire form is {@code wire[0, length)}. */
  static Name of(byte[] wire, int length) throws IOException {
    byte[] copy = Arrays.copyOf(wire, length);
    if (NEW_NAME == null) {
      return new Name(copy);
    }
    long offsets = 0;
    int labels = 0;
    int at = 0;
    while (true) {
      if (labels >= 1 && labels <= STORED_OFFSETS) {
        offsets |= (long) at << (8 * (labels - 1));
      }
      labels++;
      int len = copy[at];
      if (len == 0) {
        break;
      }
      at += len + 1;
    }
    Name name;
    try {
      name = (Name) NEW_NAME.invokeExact();
    } catch (Throwable e) {
      throw new IllegalStateException("dnsjava's Name() constructor failed", e);
    }
    BYTES.set(name, copy);
    OFFSETS.set(name, offsets);
    LABELS.set(name, labels);
    return name;
  }
}
