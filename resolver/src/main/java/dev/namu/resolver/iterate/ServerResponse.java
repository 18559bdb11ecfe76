package dev.namu.resolver.iterate;

import dev.namu.resolver.scrub.ScrubbedResponse;
import java.net.InetSocketAddress;

/** A usable reply from one server of a delegation, scrubbed and classified. */
record ServerResponse(ScrubbedResponse scrubbed, Classification classification, InetSocketAddress server) {}
