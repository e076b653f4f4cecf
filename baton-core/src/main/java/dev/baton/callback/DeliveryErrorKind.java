package dev.baton.callback;

/** Low-cardinality classes of delivery errors (the {@code error_type} of metrics). */
public enum DeliveryErrorKind {
  NOT_FOUND,
  INVALID_TOKEN,
  UNAVAILABLE,
  DEADLINE,
  UNKNOWN
}
