package dev.baton.bench;

import dev.baton.callback.AgentResult;
import dev.baton.caller.AgentCall;
import dev.baton.caller.AgentCallActivities;
import dev.baton.caller.AgentCallActivitiesImpl;

/** Baton's caller activity, counting how many run at once on the worker. */
final class CountingAgentCalls implements AgentCallActivities {
  private final AgentCallActivitiesImpl delegate;
  private final SlotGauge gauge;

  CountingAgentCalls(AgentCallActivitiesImpl delegate, SlotGauge gauge) {
    this.delegate = delegate;
    this.gauge = gauge;
  }

  @Override
  public AgentResult callAgent(AgentCall call) {
    return gauge.track(() -> delegate.callAgent(call));
  }
}
