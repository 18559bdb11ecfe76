package dev.namu.server.views;

import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.xbill.DNS.Name;

/**
 * The views of split horizon, in the order given: a client is in the first view that matches it
 * (as BIND chooses a view), and a client in none gets the common zones.
 */
public record ViewConfig(List<ViewDefinition> views) {
  /** No views: every client gets the common zones. */
  public static final ViewConfig NONE = new ViewConfig(List.of());

  public ViewConfig {
    views = List.copyOf(views);
    Set<String> names = new HashSet<>();
    for (ViewDefinition v : views) {
      if (!names.add(v.name())) {
        throw new IllegalArgumentException("view " + v.name() + " given twice");
      }
    }
  }

  public boolean isEmpty() {
    return views.isEmpty();
  }

  /** The index of the first view that matches the request, or -1. */
  public int match(InetAddress client, Name key) {
    for (int i = 0; i < views.size(); i++) {
      if (views.get(i).matches(client, key)) {
        return i;
      }
    }
    return -1;
  }

  /** The index of the view of this name, or -1. */
  public int indexOf(String name) {
    for (int i = 0; i < views.size(); i++) {
      if (views.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  /** The view whose match list names {@code key}, first in order, when any does. */
  public Optional<String> viewOfKey(Name key) {
    return views.stream().filter(v -> v.keys().contains(key)).map(ViewDefinition::name).findFirst();
  }
}
