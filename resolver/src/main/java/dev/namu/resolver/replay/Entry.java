package dev.namu.resolver.replay;

import java.util.List;
import java.util.Set;
import org.xbill.DNS.Message;

/**
 * One ENTRY_BEGIN..ENTRY_END block: what to match ({@code MATCH}), how to adjust the reply
 * ({@code ADJUST}), and the packet ({@code REPLY} flags and rcode, {@code SECTION}s, or raw
 * bytes from {@code HEX_ANSWER}).
 */
record Entry(int line, Set<String> match, Set<String> adjust, Message packet, byte[] hex, List<String> flags) {

  boolean copyId() {
    return adjust.contains("copy_id");
  }

  boolean copyQuery() {
    return adjust.contains("copy_query");
  }
}
