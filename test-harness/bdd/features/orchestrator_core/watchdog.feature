@watchdog
Feature: The watchdog aborts stuck jobs
  A job is aborted when its wall time since dispatch or its idle time
  since the last token (or since its dispatch, before the first token)
  reaches the configured timeout. The pool's watchdog runs whenever the
  dispatcher ticks it, and time comes from the injected clock, so the
  boundaries are exact.

  Background:
    Given a pool with capacity 10 and policy reject
    And a watchdog with wall timeout 10000 ms and idle timeout 2000 ms
    When batch task j1 arrives
    And the dispatcher takes 1 task

  @OC-CORE-1022 @mutant-target
  Scenario Outline: Which timeout fires
    When job j1 emits a token every <every> ms for <for> ms
    Then job j1 is timed out by <which> at <at> ms

    Examples:
      | every | for   | which | at    |
      | 1000  | 20000 | WALL  | 10000 |
      | 3000  | 20000 | IDLE  | 2000  |
      | 1500  | 20000 | WALL  | 10000 |

  @OC-CORE-1022
  Scenario: A job just inside both limits keeps running
    When the clock advances 1999 ms
    Then job j1 is still running
    When job j1 emits a token
    And the clock advances 1999 ms
    Then job j1 is still running

  @OC-CORE-1022
  Scenario: A timed-out job ends TIMED_OUT in the pool with the timeout that fired
    When the clock advances 1999 ms
    Then job j1 is still running
    When the clock advances 1 ms
    Then job j1 is timed out by IDLE at 2000 ms
    And task j1 ends TIMED_OUT with reason IDLE
    And the history of j1 is admitted, dispatched, timed_out

  @OC-CORE-1022
  Scenario: When both timeouts fire at one instant, WALL is reported
    When job j1 emits a token every 2000 ms for 8000 ms
    And the clock advances 2000 ms
    Then job j1 is timed out by WALL at 10000 ms

  @OC-CORE-1022
  Scenario: Expiries at one deadline are ordered by job id
    When batch task j0 arrives
    And the dispatcher takes 1 task
    And the clock advances 2000 ms
    Then job j0 is timed out by IDLE at 2000 ms
    And job j1 is timed out by IDLE at 2000 ms
    And the watchdog ended j0 and j1 in that order
