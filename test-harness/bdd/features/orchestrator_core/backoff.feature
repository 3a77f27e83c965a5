@backoff
Feature: Bounded exponential backoff for re-dispatch
  A job whose replica failed is dispatched again after a capped,
  exponentially growing delay with jitter from a seeded source. Attempts
  are capped; the last failure ends the task FAILED with its cause. The
  pool announces each delay; the dispatcher waits it out on the clock and
  places the retry.

  Background:
    Given a pool with capacity 10 and policy reject

  @OC-CORE-1025 @mutant-target
  Scenario: No delay exceeds the cap, delays grow, and the retries are capped
    Given a backoff with base 100 ms, cap 1000 ms, at most 5 retries and seed 7
    When batch task j1 arrives
    And the dispatcher takes 1 task
    And job j1 fails on every attempt
    Then job j1 was retried 5 times
    And every retry delay is at most 1000 ms
    And the retry delays are at least 50, 100, 200, 400 and 500 ms

  @OC-CORE-1025
  Scenario: The same seed gives the same delays
    Given a backoff with base 100 ms, cap 1000 ms, at most 5 retries and seed 7
    When batch task j1 arrives
    And the dispatcher takes 1 task
    And job j1 fails on every attempt
    Then the same schedule replayed for job j1 gives the same delays
    And the schedule with seed 8 gives other delays

  @OC-CORE-1025
  Scenario: The last failure ends the task FAILED with its cause
    Given a backoff with base 100 ms, cap 1000 ms, at most 2 retries and seed 7
    When batch task t1 arrives
    And the dispatcher takes 1 task
    And job t1 fails on every attempt with cause REPLICA_LOST
    Then job t1 was retried 2 times
    And every retry delay is at most 1000 ms
    And task t1 ends FAILED with reason REPLICA_LOST
    And the history of t1 is admitted, dispatched, retried, dispatched, retried, dispatched, failed

  @OC-CORE-1025
  Scenario: A retry waits out its delay
    Given a backoff with base 1000 ms, cap 1000 ms, at most 1 retries and seed 7
    When batch task t1 arrives
    And the dispatcher takes 1 task
    And job t1 fails with cause REPLICA_LOST
    And the clock advances 499 ms
    And the dispatcher takes 1 task
    Then the dispatch order is t1
    When the clock advances 501 ms
    And the dispatcher takes 1 task
    Then the dispatch order is t1, t1
