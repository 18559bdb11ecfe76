package dev.namu.server.peers;

import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/** One test question: name (in the case it is sent) and type, class IN. */
public record Question(Name name, int type) {

    @Override
    public String toString() {
        return Type.string(type) + " " + name;
    }
}
