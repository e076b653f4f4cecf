package dev.baton.execution;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A store that holds nothing and notes the methods called: for runs that release and renew leases
 * in it and read nothing.
 */
final class NotingStore {
  private NotingStore() {}

  static ExecutionStore of(List<String> calls) {
    return (ExecutionStore)
        Proxy.newProxyInstance(
            ExecutionStore.class.getClassLoader(),
            new Class<?>[] {ExecutionStore.class},
            (proxy, method, args) -> {
              calls.add(method.getName());
              Class<?> type = method.getReturnType();
              if (type == Optional.class) {
                return Optional.empty();
              }
              if (type == Set.class) {
                return Set.of();
              }
              if (type == boolean.class) {
                return false;
              }
              return null;
            });
  }
}
