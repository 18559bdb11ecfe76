package dev.namu.zones.edit;

/**
 * Why a change is outside its author's scope: the part of the scope it falls outside, and the change
 * in words.
 *
 * @param part the first part of the scope the change falls outside
 * @param message what is outside, in words ("adding www.example.com. TXT is outside the scope")
 */
public record ScopeRefusal(Part part, String message) {

  /** The parts of a scope, checked in this order: a change in another zone is refused for its zone. */
  public enum Part {
    ZONE, NAME, TYPE;

    /** As the API's JSON error names it. */
    public String key() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
