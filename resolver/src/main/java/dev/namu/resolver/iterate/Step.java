package dev.namu.resolver.iterate;

import dev.namu.resolver.cache.CachedAnswer;
import dev.namu.resolver.cache.CachedRRset;
import java.util.List;
import org.xbill.DNS.Name;

/** One step of iteration for a name: a final answer, or a CNAME/DNAME chain to restart from. */
record Step(CachedAnswer answer, List<CachedRRset> chain, Name restartAt) {
  static Step done(CachedAnswer a) {
    return new Step(a, List.of(), null);
  }
}
