package dev.namu.resolver;

/**
 * Budgets of one client question. Each bounds a failure or an attack; when one is exhausted the
 * client gets SERVFAIL with an RFC 8914 extended error (code 0, "Other", text naming the limit).
 *
 * @param maxReferralDepth referrals followed for one name; bounds referral loops and very deep
 *     or malicious delegation chains (Unbound MAX_REFERRAL_COUNT)
 * @param maxCnameChain CNAME/DNAME restarts for one question; bounds CNAME loops and chains
 *     built to amplify work (Unbound max-query-restarts, default 11)
 * @param maxNsNamesPerQuestion glueless name-server names resolved for one client question;
 *     bounds the NXNSAttack (Afek et al. 2020), where a referral lists many made-up NS names
 *     each costing the resolver a resolution
 * @param maxUpstreamQueries upstream queries sent for one client question in total (targets
 *     and retries included); bounds amplification by any combination of the above (Unbound
 *     max-global-quota)
 * @param maxMinimiseSteps QNAME minimisation queries per name before the full name is sent
 *     (RFC 9156 section 2.3, MAX_MINIMISE_COUNT); bounds names with very many labels
 */
public record Limits(
    int maxReferralDepth,
    int maxCnameChain,
    int maxNsNamesPerQuestion,
    int maxUpstreamQueries,
    int maxMinimiseSteps) {

  public static final int DEFAULT_MAX_REFERRAL_DEPTH = 30;
  public static final int DEFAULT_MAX_CNAME_CHAIN = 11;
  public static final int DEFAULT_MAX_NS_NAMES = 16;
  public static final int DEFAULT_MAX_UPSTREAM_QUERIES = 128;
  public static final int DEFAULT_MAX_MINIMISE_STEPS = 10;

  public Limits {
    if (maxReferralDepth < 1 || maxCnameChain < 0 || maxNsNamesPerQuestion < 0
        || maxUpstreamQueries < 1 || maxMinimiseSteps < 1) {
      throw new IllegalArgumentException("resolver limits must be positive: " + this);
    }
  }

  public static Limits defaults() {
    return new Limits(DEFAULT_MAX_REFERRAL_DEPTH, DEFAULT_MAX_CNAME_CHAIN, DEFAULT_MAX_NS_NAMES,
        DEFAULT_MAX_UPSTREAM_QUERIES, DEFAULT_MAX_MINIMISE_STEPS);
  }
}
