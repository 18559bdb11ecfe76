package dev.namu.server.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Generates the differential questions from the zone contents: every owner name with every
 * interesting type, a child and a non-existent sibling of every owner, random labels under every
 * apex, names outside all zones, and a mixed-case copy of a share of them (RFC 4343: matching
 * ignores case, the reply keeps the question's).
 */
public final class QuerySet {

    /** Types asked at every owner name. TYPE65534 is an RFC 3597 unknown type present in the zones. */
    static final List<Integer> OWNER_TYPES = List.of(Type.A, Type.AAAA, Type.MX, Type.TXT, Type.NS, Type.SOA,
            Type.CNAME, Type.DS, Type.ANY, Type.SRV, Type.PTR, Type.DNAME, Type.HINFO, Type.CAA, 65534, 1234);
    /** Types asked at names derived from owners (children, siblings, random labels). */
    static final List<Integer> DERIVED_TYPES = List.of(Type.A, Type.AAAA, Type.TXT, Type.MX, Type.NS, Type.DS,
            Type.CNAME);
    /**
     * DNSSEC types (no DNSSEC data is served), zone transfers (not allowed), obsolete and pseudo
     * types, and type 0, asked at every apex and at one other name per zone.
     */
    static final List<Integer> SPECIAL_TYPES = List.of(Type.RRSIG, Type.NSEC, Type.DNSKEY, Type.NSEC3PARAM,
            Type.AXFR, Type.IXFR, Type.MAILA, Type.MAILB, Type.OPT, Type.TSIG, Type.TKEY, 0);
    private static final List<String> OUTSIDE = List.of("www.example.com.", "test.", ".", "diff.test.example.",
            "in-addr.arpa.", "lan.");

    private QuerySet() {
    }

    /** The questions for {@code zones}; the same seed gives the same list. */
    public static List<Question> generate(ServedZones zones, long seed) {
        return generate(zones, seed, List.of());
    }

    /** As above, asking {@code moreOwnerTypes} at every owner name too. */
    public static List<Question> generate(ServedZones zones, long seed, List<Integer> moreOwnerTypes) {
        Random random = new Random(seed);
        Set<Name> owners = new TreeSet<>();
        for (Name origin : zones.origins()) {
            owners.addAll(owners(zones, origin));
        }
        Set<Question> questions = new LinkedHashSet<>();
        for (Name owner : owners) {
            for (int type : OWNER_TYPES) {
                questions.add(new Question(owner, type));
            }
            for (int type : moreOwnerTypes) {
                questions.add(new Question(owner, type));
            }
        }
        for (Name owner : owners) {
            Name child = prefixed("zz-child", owner);
            Name sibling = sibling(owner);
            for (int type : DERIVED_TYPES) {
                if (child != null) {
                    questions.add(new Question(child, type));
                }
                if (sibling != null) {
                    questions.add(new Question(sibling, type));
                }
            }
        }
        for (Name origin : zones.origins()) {
            Name other = owners(zones, origin).stream().filter(n -> !n.equals(origin)).findFirst().orElse(origin);
            for (int type : SPECIAL_TYPES) {
                questions.add(new Question(origin, type));
                questions.add(new Question(other, type));
            }
        }
        for (Name origin : zones.origins()) {
            for (int i = 0; i < 4; i++) {
                Name randomName = prefixed(randomLabel(random), origin);
                for (int type : List.of(Type.A, Type.TXT, Type.MX)) {
                    questions.add(new Question(randomName, type));
                }
            }
        }
        for (String outside : OUTSIDE) {
            for (int type : List.of(Type.A, Type.SOA, Type.NS, Type.DS)) {
                questions.add(new Question(parse(outside), type));
            }
        }
        // Mixed case: one question in four is also asked with its letters' case randomised.
        List<Question> all = new ArrayList<>(questions);
        for (Question q : List.copyOf(all)) {
            if (random.nextInt(4) == 0) {
                Name mixed = mixedCase(q.name(), random);
                if (!mixed.toString().equals(q.name().toString())) {
                    all.add(new Question(mixed, q.type()));
                }
            }
        }
        return List.copyOf(all);
    }

    private static Set<Name> owners(ServedZones zones, Name origin) {
        Set<Name> owners = new LinkedHashSet<>();
        try (Master master = new Master(zones.file(origin).toString(), origin)) {
            Record record;
            while ((record = master.nextRecord()) != null) {
                owners.add(record.getName());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read test zone " + zones.file(origin), e);
        }
        return owners;
    }

    private static Name prefixed(String label, Name name) {
        try {
            return Name.fromString(label, name);
        } catch (TextParseException tooLong) {
            return null;
        }
    }

    /** The owner with its first label changed, e.g. www.diff.test -> www-nx.diff.test. */
    private static Name sibling(Name owner) {
        if (owner.labels() < 2) {
            return null;
        }
        String first = owner.getLabelString(0);
        Name parent = new Name(owner, 1);
        return prefixed(first + "-nx", parent);
    }

    private static String randomLabel(Random random) {
        StringBuilder label = new StringBuilder("r");
        for (int i = 0; i < 8; i++) {
            label.append((char) ('a' + random.nextInt(26)));
        }
        return label.toString();
    }

    private static Name mixedCase(Name name, Random random) {
        StringBuilder text = new StringBuilder();
        String plain = name.toString();
        for (int i = 0; i < plain.length(); i++) {
            char c = plain.charAt(i);
            if (c == '\\') {
                // keep escapes (\032, \.) exactly as written
                int end = Character.isDigit(plain.charAt(i + 1)) ? i + 4 : i + 2;
                text.append(plain, i, end);
                i = end - 1;
            } else {
                text.append(random.nextBoolean() ? Character.toUpperCase(c) : Character.toLowerCase(c));
            }
        }
        String mixed = text.toString();
        if (mixed.equals(plain) && !plain.equals(".")) {
            mixed = plain.toUpperCase(Locale.ROOT);
        }
        return parse(mixed);
    }

    private static Name parse(String text) {
        try {
            return Name.fromString(text, Name.root);
        } catch (TextParseException e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
