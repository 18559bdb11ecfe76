package dev.namu.server.peers;

import java.util.List;
import java.util.Locale;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The parts of a reply the differential test compares, each in an order-insensitive form: the
 * sections are sorted lists of "owner TTL class type rdata" lines, so RRsets compare as sets with
 * their TTLs. The main form is lower case (RFC 4343: names match without case); the exact-case
 * answer is kept separately.
 */
public record ReplyDigest(int rcode, boolean aa, boolean tc, String flags, List<String> answer, List<String> answerExactCase,
                          List<String> authority, List<String> additional, Kind kind) {

    /** What sort of reply this is, which decides whether the authority section is compared. */
    public enum Kind {
        /** Data for the question (possibly after CNAMEs). */
        POSITIVE,
        /** NXDOMAIN or NOERROR/NODATA: the SOA in authority matters (RFC 2308). */
        NEGATIVE,
        /** AA clear, NS in authority: a delegation (RFC 1034 4.3.2 step 3b). */
        REFERRAL,
        /** REFUSED, SERVFAIL and the like. */
        OTHER
    }

    /** The digest of {@code reply} to {@code question}. */
    public static ReplyDigest of(Question question, Message reply) {
        List<Record> answerRecords = reply.getSection(Section.ANSWER);
        List<Record> authorityRecords = reply.getSection(Section.AUTHORITY);
        int rcode = reply.getRcode();
        boolean aa = reply.getHeader().getFlag(Flags.AA);
        return new ReplyDigest(rcode, aa, reply.getHeader().getFlag(Flags.TC), flags(reply),
                lines(answerRecords, true), lines(answerRecords, false), lines(authorityRecords, true),
                lines(reply.getSection(Section.ADDITIONAL), true),
                kind(question, rcode, aa, answerRecords, authorityRecords));
    }

    /** Header flags other than QR and AA; "opt", its version and DO bit when the reply has an OPT record. */
    private static String flags(Message reply) {
        StringBuilder flags = new StringBuilder();
        for (int flag : new int[] {Flags.TC, Flags.RD, Flags.RA, Flags.AD, Flags.CD}) {
            if (reply.getHeader().getFlag(flag)) {
                flags.append(Flags.string(flag)).append(' ');
            }
        }
        OPTRecord opt = reply.getOPT();
        if (opt != null) {
            flags.append("opt v").append(opt.getVersion());
            if ((opt.getFlags() & ExtendedFlags.DO) != 0) {
                flags.append(" do");
            }
        }
        return flags.toString().trim();
    }

    private static Kind kind(Question question, int rcode, boolean aa, List<Record> answer, List<Record> authority) {
        if (rcode == Rcode.NXDOMAIN) {
            return Kind.NEGATIVE;
        }
        if (rcode != Rcode.NOERROR) {
            return Kind.OTHER;
        }
        boolean hasNs = authority.stream().anyMatch(r -> r.getType() == Type.NS);
        boolean hasSoa = authority.stream().anyMatch(r -> r.getType() == Type.SOA);
        boolean answered = answer.stream().anyMatch(r -> question.type() == Type.ANY || r.getType() == question.type()
                || (r.getType() == Type.CNAME && question.type() == Type.CNAME));
        if (answered) {
            return Kind.POSITIVE;
        }
        if (!aa && hasNs && !hasSoa) {
            return Kind.REFERRAL;
        }
        return Kind.NEGATIVE;
    }

    private static List<String> lines(List<Record> records, boolean lowerCase) {
        return records.stream()
                .filter(r -> r.getType() != Type.OPT && r.getType() != Type.TSIG)
                .map(r -> r.getName() + " " + r.getTTL() + " " + org.xbill.DNS.DClass.string(r.getDClass()) + " "
                        + Type.string(r.getType()) + " " + r.rdataToString())
                .map(line -> lowerCase ? line.toLowerCase(Locale.ROOT) : line)
                .sorted()
                .toList();
    }

    /** One line per reply, for reports. */
    public String summary() {
        return Rcode.string(rcode) + (aa ? " aa" : "") + (tc ? " tc" : "") + " " + kind.name().toLowerCase(Locale.ROOT);
    }
}
