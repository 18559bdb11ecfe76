package dev.namu.resolver.warmup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.resolver.ResolverConfig;
import org.junit.jupiter.api.Test;

class JitWarmUpTest {

  /**
   * The warm-up is worth its time only when it runs the path a real cold resolution runs: the
   * referrals from the root and the TLD, then the leaf's answer, scrubbed and cached. A made-up
   * reply that the resolver judged bogus or lame would warm the failure path instead.
   */
  @Test
  void everyWarmUpResolutionIsAnsweredThroughTheMadeUpHierarchy() {
    JitWarmUp.Result r = JitWarmUp.run(ResolverConfig.defaults());
    System.out.println("warm-up: " + r);
    assertTrue(r.names() >= JitWarmUp.BATCH, "at least one batch: " + r);
    assertEquals(r.names(), r.answered(), "every name answered with its address: " + r);
  }

  @Test
  void minimisedAndMinimalSettingsAreWarmedToo() {
    ResolverConfig c = ResolverConfig.builder().qnameMinimisation(false).minimalResponses(true).build();
    JitWarmUp.Result r = JitWarmUp.run(c);
    assertEquals(r.names(), r.answered(), "every name answered with its address: " + r);
  }
}
