package dev.baton.cli.server;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGHUP asks a running server to read its agent files again, as servers conventionally do.
 *
 * <p>Through the JDK's {@code sun.misc.Signal} (module jdk.unsupported), reached reflectively so
 * the build's no-warnings rule holds; where it is missing the server simply has no SIGHUP reload.
 */
final class ReloadSignal {
  private static final Logger log = LoggerFactory.getLogger(ReloadSignal.class);

  private ReloadSignal() {}

  /** Runs {@code reload} on each SIGHUP; where the platform has none, does nothing. */
  static void install(Runnable reload) {
    try {
      Class<?> signalType = Class.forName("sun.misc.Signal");
      Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
      InvocationHandler onSignal =
          (proxy, method, args) ->
              switch (method.getName()) {
                case "handle" -> {
                  reloadOnce(reload);
                  yield null;
                }
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                default -> "SIGHUP agent reload";
              };
      Object handler =
          Proxy.newProxyInstance(
              ReloadSignal.class.getClassLoader(), new Class<?>[] {handlerType}, onSignal);
      Object hangUp = signalType.getConstructor(String.class).newInstance("HUP");
      signalType.getMethod("handle", signalType, handlerType).invoke(null, hangUp, handler);
    } catch (ReflectiveOperationException | RuntimeException unsupported) {
      log.info("no SIGHUP reload of the agent files here: {}", unsupported.toString());
    }
  }

  private static void reloadOnce(Runnable reload) {
    log.info("SIGHUP: checking the agent files");
    try {
      reload.run();
    } catch (RuntimeException e) {
      log.warn("reloading the agent files failed: {}", e.toString());
    }
  }
}
