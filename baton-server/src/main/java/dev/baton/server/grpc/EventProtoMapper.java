package dev.baton.server.grpc;

import com.google.protobuf.Timestamp;
import dev.baton.api.v1.ExecutionEventType;
import dev.baton.execution.ExecutionEvent;

/** Maps progress events to their proto form. */
final class EventProtoMapper {
  private EventProtoMapper() {}

  static dev.baton.api.v1.ExecutionEvent toProto(ExecutionEvent event) {
    return dev.baton.api.v1.ExecutionEvent.newBuilder()
        .setSequence(event.sequence())
        .setTime(
            Timestamp.newBuilder()
                .setSeconds(event.time().getEpochSecond())
                .setNanos(event.time().getNano()))
        .setType(ExecutionEventType.valueOf(event.type().name()))
        .setText(event.text())
        .setData(event.data() == null ? "" : event.data())
        .build();
  }
}
