package dev.baton.server;

import java.net.BindException;

/**
 * Recognises a listener that could not bind because its address is taken, however the transport
 * reports it: the JDK throws {@link BindException}, gRPC's Netty transport an {@code IOException}
 * ("Failed to bind") caused by its native epoll error ("Address already in use").
 */
public final class AddressInUse {
  private AddressInUse() {}

  /** Whether {@code failure} or one of its causes says the address is already in use. */
  public static boolean causedBy(Throwable failure) {
    for (Throwable e = failure; e != null; e = e.getCause() == e ? null : e.getCause()) {
      if (e instanceof BindException
          || (e.getMessage() != null && e.getMessage().contains("Address already in use"))) {
        return true;
      }
    }
    return false;
  }
}
